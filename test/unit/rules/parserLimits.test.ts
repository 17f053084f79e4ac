import { RULE_LIMITS } from '../../../src/rules/ast';
import { RuleSyntaxError } from '../../../src/rules/errors';
import { parseRule } from '../../../src/rules/parser';
import { expectSyntaxError } from './expectError';

const A = 'leadScore > 1';
const repeat = (n: number, s: string, sep: string): string => Array.from({ length: n }, () => s).join(sep);
/** Seven nested groups inside AND chains: the innermost group's children sit on level 9. */
const chainDeep = `${A} AND (`.repeat(7) + `${A} AND ${A}` + ')'.repeat(7);
const tooMany = `${repeat(5, `(${repeat(40, A, ' AND ')})`, ' OR ')} OR openDeals > 0`;
const list = (n: number) => `leadScore in (${Array.from({ length: n }, (_, i) => i).join(', ')})`;

describe('parseRule: errors in structure', () => {
  test.each<[string, string, string, string | RegExp]>([
    ['missing )', `(${A}`, '1:15', 'expected AND, OR or ")", found end of rule'],
    ['missing ) on line 2', `(${A} OR\n openDeals > 0`, '2:15', /found end of rule$/],
    ['trailing junk', `${A} openDeals > 0`, '1:15', 'expected AND, OR or end of rule, found "openDeals"'],
    ['stray )', `${A})`, '1:14', /found "\)"$/],
    ['dangling AND', `${A} AND`, '1:18', 'expected a condition or "(", found end of rule'],
    ['AND AND', `${A} AND AND ${A}`, '1:19', /found "AND"$/],
    ['NOT NOT', `NOT NOT ${A}`, '1:5', 'expected a condition or "(" after NOT, found "NOT"'],
    ['NOT not in segment', 'NOT not in segment "x"', '1:5', /found "not"$/],
    ['NOT with tag !=', 'NOT tag != "x"', '1:9', /double negation/],
  ])('%s', (_name, text, where, message) => {
    expectSyntaxError(text, where, message);
  });

  test('trailing junk names what was expected', () => {
    expect(expectSyntaxError(`${A} x`, '1:15', /"x"$/).expected).toEqual(['AND', 'OR', 'end of rule']);
  });
});

describe('parseRule: limits', () => {
  test.each<[string, string, string, string | RegExp]>([
    [
      'text too long',
      'x'.repeat(RULE_LIMITS.maxTextLength + 1),
      '1:1',
      'rule too long: at most 10000 characters, found 10001',
    ],
    [
      'too deep: parentheses',
      `${'('.repeat(8)}${A}${')'.repeat(8)}`,
      '1:8',
      'nested too deeply: at most 8 levels',
    ],
    ['too deep: 9,999 parentheses', '('.repeat(9999), '1:8', /^nested too deeply/],
    ['too deep: chains', chainDeep, `1:${chainDeep.lastIndexOf('(') + 1}`, /^nested too deeply/],
    [
      'too many children',
      repeat(51, A, ' AND '),
      `1:${50 * 18 + 1}`,
      'too many children in one group: at most 50',
    ],
    ['too many conditions', tooMany, `1:${tooMany.length - 12}`, 'too many conditions: at most 200'],
    ['list too long', list(1001), '1:14', 'too many values: at most 1000, found 1001'],
  ])('%s', (_name, text, where, message) => {
    expectSyntaxError(text, where, message);
  });

  test('the limits are inclusive', () => {
    expect(() => parseRule(`${'('.repeat(7)}${A}${')'.repeat(7)}`)).not.toThrow();
    expect(() => parseRule(repeat(50, A, ' AND '))).not.toThrow();
    expect(() => parseRule(repeat(5, `(${repeat(40, A, ' AND ')})`, ' OR '))).not.toThrow();
    expect(() => parseRule(list(1000))).not.toThrow();
    expect(() => parseRule(`name = "${'x'.repeat(1000)}"`)).not.toThrow();
    expect(() => parseRule(`${A}${' '.repeat(RULE_LIMITS.maxTextLength - A.length)}`)).not.toThrow();
  });

  test('non-text input is a syntax error too', () => {
    expect(() => parseRule(42 as unknown as string)).toThrow(RuleSyntaxError);
  });
});
