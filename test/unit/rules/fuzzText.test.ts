/**
 * Fuzzing the text form: whatever the text, parseRule throws only RuleSyntaxError, and whatever it
 * accepts is valid and round-trips through formatRule.
 */
import fc from 'fast-check';
import type { Rule } from '../../../src/rules/ast';
import { RuleSyntaxError } from '../../../src/rules/errors';
import { formatRule } from '../../../src/rules/format';
import { parseRule } from '../../../src/rules/parser';
import { validateRule } from '../../../src/rules/validate';
import { arbRule } from '../../support/ruleArbitrary';

const SEEDS = [
  'lifetimeValue > 5000 OR tag = "VIP"',
  'lastConversationAt more than 30 days ago',
  'leadScore > 80 AND openDeals > 0',
  'createdAt within last 7 days',
  'supportTickets > 3 AND NOT lastPurchaseAt within last 60 days',
  'name contains "Smith"',
  'emailDomain = "company.com"',
  'custom.plan in ("pro", "enterprise") AND custom.region exists',
  'tag has any of ("VIP", "Beta")',
  'in segment "VIP Customers" AND NOT in segment "At Risk"',
  'NOT ((leadScore between 1 and 2.5e3 OR createdAt on 2024-02-29) AND custom.t before 2026-01-01T00:00:00Z)',
  'name = "a\\"b\\\\c\\u00e9" AND optedOut is false',
];

// Words and punctuation of the language, near misses, and junk.
const TOKENS = [
  ...'AND or NOT not ( ) , = != > >= < <= between and contains starts with ends in exists before'.split(' '),
  ...'after on within last more than ago days hour is true false has any all none of segment'.split(' '),
  ...'tag tags name leadScore createdAt optedOut custom.x custom. custom.a.b $where __proto__ # && ||'.split(
    ' ',
  ),
  ...'"x" "" "\\u00e9" "\\q" " \\ 1 -1 1.5 1e400 1e 0 100001 2026-01-15 2026-02-30 2026-01-15T10:00:00Z'.split(
    ' ',
  ),
  ...['\n', '\r\n', '\t', ' ', '😀', '\u0000'],
];

const CHARS = [...'()",\\=!<>-.:_$ \n\tAaZz09eE', 'é', '😀', '\uD800', '\u2028'];

/** Parses `text`: a RuleSyntaxError with a sane position, or a rule that is valid and round-trips. */
function check(text: string): void {
  let rule: Rule;
  try {
    rule = parseRule(text);
  } catch (e) {
    if (!(e instanceof RuleSyntaxError)) throw e;
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeGreaterThanOrEqual(1);
    expect(e.line).toBeLessThanOrEqual(text.split(/\r\n|\r|\n/).length);
    expect(e.message.startsWith(`line ${e.line}, column ${e.column}: `)).toBe(true);
    return;
  }
  expect(validateRule(rule)).toEqual(rule);
  const canonical = formatRule(rule);
  expect(parseRule(canonical)).toEqual(rule);
  expect(formatRule(parseRule(canonical))).toBe(canonical);
}

const arbMutation = fc.record({
  kind: fc.constantFrom('insertChar', 'insertToken', 'delete', 'replace', 'duplicate', 'case'),
  at: fc.nat(),
  len: fc.nat(6),
  char: fc.oneof(fc.constantFrom(...CHARS), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
  token: fc.constantFrom(...TOKENS),
});

type Mutation = typeof arbMutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(text: string, m: Mutation): string {
  const at = m.at % (text.length + 1);
  const end = Math.min(text.length, at + m.len);
  const [head, mid, tail] = [text.slice(0, at), text.slice(at, end), text.slice(end)];
  switch (m.kind) {
    case 'insertChar':
      return head + m.char + mid + tail;
    case 'insertToken':
      return `${head} ${m.token} ${mid}${tail}`;
    case 'delete':
      return head + tail;
    case 'replace':
      return head + m.token + tail;
    case 'duplicate':
      return head + mid + mid + tail;
    default:
      return head + (m.len % 2 ? mid.toUpperCase() : mid.toLowerCase()) + tail;
  }
}

describe('parseRule fuzzing: only RuleSyntaxError, and what parses round-trips', () => {
  test('2,500 mutated examples', () => {
    const arb = fc.tuple(fc.constantFrom(...SEEDS), fc.array(arbMutation, { minLength: 1, maxLength: 4 }));
    fc.assert(
      fc.property(arb, ([seed, ms]) => check(ms.reduce(mutate, seed))),
      { numRuns: 2500 },
    );
  });

  test('1,500 token soups', () => {
    const arb = fc.array(fc.tuple(fc.constantFrom(...TOKENS), fc.constantFrom(' ', '', '\n')), {
      maxLength: 30,
    });
    fc.assert(
      fc.property(arb, (parts) => check(parts.map(([t, sep]) => t + sep).join(''))),
      { numRuns: 1500 },
    );
  });

  test('1,000 random unicode strings', () => {
    const arb = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.string({ unit: 'grapheme', maxLength: 60 }),
    );
    fc.assert(fc.property(arb, check), { numRuns: 1000 });
  });

  test('mutated canonical texts of random rules', () => {
    const arb = fc.tuple(arbRule({ maxDepth: 4 }), fc.array(arbMutation, { minLength: 1, maxLength: 3 }));
    fc.assert(
      fc.property(arb, ([rule, ms]) => check(ms.reduce(mutate, formatRule(rule)))),
      { numRuns: 500 },
    );
  });
});
