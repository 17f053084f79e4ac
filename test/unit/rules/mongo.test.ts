/**
 * The shape of compileMongo's filters: index-friendly equality and ranges, anchored flag-free
 * regexes, only operators of the common subset, user values only as operands, named errors.
 */
import type { Document } from 'mongodb';
import { STANDARD_FIELDS } from '../../../src/rules/catalogue';
import { RuleValidationError } from '../../../src/rules/errors';
import { compileMongo } from '../../../src/rules/mongo';
import { parseRule } from '../../../src/rules/parser';
import { compilePredicate } from '../../../src/rules/predicate';
import { Rng, randomNow, testContext } from '../../support/randomContacts';
import { randomRule } from '../../support/randomRules';

const now = new Date('2025-06-15T12:00:00.000Z');
const compile = (text: string) => compileMongo(parseRule(text), now, testContext);

test.each<[string, Document]>([
  [
    'lifetimeValue > 5000 OR tag = "VIP"',
    { $or: [{ lifetimeValue: { $gt: 5000 } }, { tags: { $in: [/^[Vv][Ii][Pp](?![\s\S])/] } }] },
  ],
  [
    'lastConversationAt more than 30 days ago',
    { lastConversationAt: { $lt: new Date('2025-05-16T12:00:00.000Z') } },
  ],
  ['createdAt within last 7 days', { createdAt: { $gte: new Date('2025-06-08T12:00:00.000Z'), $lte: now } }],
  [
    'supportTickets > 3 AND NOT lastPurchaseAt within last 60 days',
    {
      $and: [
        { supportTickets: { $gt: 3 } },
        { $nor: [{ lastPurchaseAt: { $gte: new Date('2025-04-16T12:00:00.000Z'), $lte: now } }] },
      ],
    },
  ],
  ['emailDomain = "Co.COM"', { emailDomain: { $in: [/^[Cc][Oo]\.[Cc][Oo][Mm](?![\s\S])/] } }],
  ['email in ("A@B", "d@e")', { email: { $in: [/^[Aa]@[Bb](?![\s\S])/, /^[Dd]@[Ee](?![\s\S])/] } }],
  ['email starts with "Jo.n"', { email: { $in: [/^[Jj][Oo]\.[Nn]/] } }],
  ['name starts with "a+1"', { name: { $in: [/^[Aa]\+1/] } }],
  ['name in ("x", "y")', { name: { $in: [/^[Xx](?![\s\S])/, /^[Yy](?![\s\S])/] } }],
  [
    'lastPurchaseAt on 2025-06-14',
    { lastPurchaseAt: { $gte: new Date('2025-06-14'), $lt: new Date('2025-06-15') } },
  ],
  [
    'lastPurchaseAt after 2025-06-14T10:00:00Z',
    { lastPurchaseAt: { $gte: new Date('2025-06-14T10:00:00.001Z') } },
  ],
  ['custom.region exists', { 'custom.region': { $ne: null } }],
  ['leadScore != 5', { $nor: [{ leadScore: { $eq: 5 } }] }],
  ['NOT (leadScore > 1 OR openDeals > 1)', { $nor: [{ leadScore: { $gt: 1 } }, { openDeals: { $gt: 1 } }] }],
  [
    'in segment "VIP Customers" AND NOT in segment "At Risk"',
    {
      $and: [{ 'segments.segmentId': { $eq: 's1' } }, { $nor: [{ 'segments.segmentId': { $eq: 's2' } }] }],
    },
  ],
  [
    'tag has all of ("a", "b")',
    {
      $and: [{ tags: { $in: [/^[Aa](?![\s\S])/] } }, { tags: { $in: [/^[Bb](?![\s\S])/] } }],
    },
  ],
])('%s', (text, expected) => {
  expect(compile(text)).toEqual(expected);
});

// $elemMatch: windowed counts match one ranked occurrence `{r, i?, at}` (scalar fields only).
const OPERATORS = new Set([
  '$and',
  '$or',
  '$nor',
  '$eq',
  '$in',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$ne',
  '$elemMatch',
]);
const PATHS = new Set([
  ...STANDARD_FIELDS.map((f) => f.path),
  'custom.plan',
  'custom.region',
  'custom.score',
  'custom.flag',
  'custom.since',
  'custom.toString',
]);

/** Every key of a filter, not descending into operands (Dates, RegExps, strings, numbers). */
function keys(f: unknown, out: string[] = []): string[] {
  if (Array.isArray(f)) f.forEach((x) => keys(x, out));
  else if (f !== null && typeof f === 'object' && !(f instanceof Date) && !(f instanceof RegExp)) {
    for (const [k, v] of Object.entries(f)) {
      out.push(k);
      // Operands of $eq/$in/ranges are values: they never become keys or operators.
      if (k === '$and' || k === '$or' || k === '$nor' || !k.startsWith('$')) keys(v, out);
      else if (k === '$elemMatch') {
        // A ranked occurrence: only its own scalar subfields, each compared with operands.
        expect(Object.keys(v as object).every((x) => ['r', 'i', 'at'].includes(x))).toBe(true);
        for (const sub of Object.values(v as object)) keys(sub, out);
      } else if (k === '$in')
        expect((v as unknown[]).every((x) => typeof x !== 'object' || x instanceof RegExp)).toBe(true);
      else expect(typeof v !== 'object' || v === null || v instanceof Date).toBe(true);
    }
  }
  return out;
}

test('random rules use only subset operators and catalogue paths; values stay operands', () => {
  const r = new Rng(5);
  for (let i = 0; i < 500; i++) {
    const filter = compileMongo(randomRule(r), randomNow(r), testContext);
    for (const k of keys(filter)) expect([k, OPERATORS.has(k) || PATHS.has(k)]).toEqual([k, true]);
  }
});

test('hostile literals are just text', () => {
  const rule = parseRule('name = "{\\"$gt\\": \\"\\"}" OR name contains "$where" OR name in (".*", "a|b")');
  const pred = compilePredicate(rule);
  expect(pred({ name: 'anything' }, now)).toBe(false);
  expect(pred({ name: 'A|B' }, now)).toBe(true);
  expect(keys(compileMongo(rule, now))).not.toContain('$where');
});

test('an unknown segment, or none resolvable, is a RuleValidationError naming it', () => {
  const rule = parseRule('leadScore > 1 AND in segment "Nope"');
  for (const run of [
    () => compileMongo(rule, now, testContext),
    () => compilePredicate(rule, testContext),
    () => compileMongo(rule, now),
  ]) {
    expect(run).toThrow(RuleValidationError);
    try {
      run();
    } catch (e) {
      expect((e as RuleValidationError).problems).toEqual([
        { path: 'children[1].value', message: expect.stringContaining('"Nope"') as string },
      ]);
    }
  }
});

test.each([
  [{ kind: 'condition', field: 'nope', operator: '=', value: 'x' }, 'field'],
  [{ kind: 'condition', field: 'leadScore', operator: 'contains', value: 'x' }, 'operator'],
  [{ kind: 'condition', field: 'leadScore', operator: '>', value: '5' }, 'value'],
  [{ kind: 'condition', field: 'createdAt', operator: 'before', value: '2025-02-30' }, 'value'],
])('malformed ASTs are rejected, not guessed at: %j', (rule, path) => {
  expect(() => compileMongo(rule as never, now)).toThrow(RuleValidationError);
  expect(() => compilePredicate(rule as never)).toThrow(
    expect.objectContaining({ problems: [expect.objectContaining({ path })] }) as Error,
  );
});
