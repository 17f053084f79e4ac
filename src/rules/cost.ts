/**
 * What a rule costs to evaluate, beyond the counts the parser and validator limit. Substring
 * tests (`contains`, `not contains`, `ends with`) become unanchored regexes that every candidate
 * string is scanned with, so their literals are budgeted together: an OR of 200 × 999-character
 * `contains` passed every other limit and kept the database busy for 97 s, stalling every
 * workspace. Anchored and exact tests are cheap and not counted.
 */
import { RULE_LIMITS, type Rule } from './ast';

const SUBSTRING = new Set(['contains', 'not contains', 'ends with']);

/** Characters of substring literals in the rule. */
export function substringChars(rule: Rule): number {
  if (rule.kind === 'group') return rule.children.reduce((n, c) => n + substringChars(c), 0);
  return SUBSTRING.has(rule.operator) && typeof rule.value === 'string' ? rule.value.length : 0;
}

/** A problem message when the rule is over its budget, else undefined. */
export function costProblem(rule: Rule): string | undefined {
  const n = substringChars(rule);
  const max = RULE_LIMITS.maxSubstringChars;
  if (n <= max) return undefined;
  return `too costly: contains / ends with may use at most ${max} characters of text in all, found ${n}`;
}
