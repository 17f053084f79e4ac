import fc from 'fast-check';
import type { Rule } from '../../../src/rules/ast';
import { formatRule } from '../../../src/rules/format';
import { parseRule } from '../../../src/rules/parser';
import { validateRule } from '../../../src/rules/validate';
import { arbRule } from '../../support/ruleArbitrary';
import { A, B, C, and, cond, not, or } from './build';

const [a, b, c] = [A.ast, B.ast, C.ast];

describe('formatRule prints canonical text', () => {
  test.each<[string, string]>([
    [`${A.text} and ${B.text} or not ${C.text}`, `(${A.text} AND ${B.text}) OR NOT ${C.text}`],
    [`${A.text} OR ${B.text} AND ${C.text}`, `${A.text} OR (${B.text} AND ${C.text})`],
    [`(${A.text} OR ${B.text})`, `${A.text} OR ${B.text}`],
    [`(  ${A.text} )`, `(${A.text})`],
    [`not (${A.text})`, `NOT (${A.text})`],
    [`((${A.text} or ${B.text}))`, `((${A.text} OR ${B.text}))`],
    ['tags has "VIP"', 'tag = "VIP"'],
    ['tag != "VIP"', 'NOT tag = "VIP"'],
    ['not in segment "X"', 'NOT in segment "X"'],
    ['name NOT CONTAINS "x"', 'name not contains "x"'],
    ['createdAt WITHIN LAST 1 days', 'createdAt within last 1 day'],
    ['createdAt within last 2 hour', 'createdAt within last 2 hours'],
    ['createdAt more than 1 hours AGO', 'createdAt more than 1 hour ago'],
    ['leadScore > 1E3', 'leadScore > 1000'],
    ['leadScore > 1e21', 'leadScore > 1e+21'],
    ['leadScore > 0.10', 'leadScore > 0.1'],
    ['leadScore > -0', 'leadScore > 0'],
    ['leadScore between 1 AND 2', 'leadScore between 1 and 2'],
    ['leadScore in (1,2,  3)', 'leadScore in (1, 2, 3)'],
    ['name = "\\u00e9\\u0001\\t"', 'name = "é\\u0001\\t"'],
    ['name = "\\uD800"', 'name = "\\uD800"'],
    ['name = "\\u2028"', 'name = "\\u2028"'],
    ['custom.d before "2026-01-15"', 'custom.d before 2026-01-15'],
    ['optedOut IS FALSE', 'optedOut is false'],
    [`${A.text}\n  AND\n  ${B.text}`, `${A.text} AND ${B.text}`],
  ])('%j → %j', (text, canonical) => {
    expect(formatRule(parseRule(text))).toBe(canonical);
  });

  test.each<[string, Rule, string]>([
    ['bare condition', a, A.text],
    ['negated condition', not(a), `NOT ${A.text}`],
    ['one-child top group', and(a), `(${A.text})`],
    ['negated top group', not(or(a, b)), `NOT (${A.text} OR ${B.text})`],
    ['negated one-child group', not(and(a)), `NOT (${A.text})`],
    [
      'nested groups',
      and(or(a, and(b)), not(and(c, a))),
      `(${A.text} OR (${B.text})) AND NOT (${C.text} AND ${A.text})`,
    ],
    ['one-child group of a group', and(or(a, b)), `((${A.text} OR ${B.text}))`],
    ['negated segment', not(cond('segment', 'in segment', 'At "Risk"')), 'NOT in segment "At \\"Risk\\""'],
    ['string lists', cond('tags', 'has all of', ['a\\', 'b"']), 'tag has all of ("a\\\\", "b\\"")'],
    [
      'instants',
      cond('custom.t', 'after', '2026-01-15T10:00:00.000Z'),
      'custom.t after 2026-01-15T10:00:00.000Z',
    ],
  ])('%s', (_name, rule, text) => {
    expect(formatRule(rule)).toBe(text);
    expect(parseRule(text)).toEqual(rule);
  });
});

describe('text ⇄ AST round trip (property)', () => {
  test('parseRule(formatRule(r)) and validateRule(r) give r back; formatRule is a fixpoint', () => {
    fc.assert(
      fc.property(arbRule({ maxDepth: 8, groupWeight: 2 }), (r) => {
        const text = formatRule(r);
        expect(parseRule(text)).toEqual(r);
        expect(validateRule(r)).toEqual(r);
        expect(validateRule(JSON.parse(JSON.stringify(r)))).toEqual(r);
        expect(formatRule(parseRule(text))).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  test('wide groups too', () => {
    fc.assert(
      fc.property(arbRule({ maxDepth: 3, maxChildren: 50 }), (r) => {
        expect(parseRule(formatRule(r))).toEqual(r);
      }),
      { numRuns: 200 },
    );
  });
});
