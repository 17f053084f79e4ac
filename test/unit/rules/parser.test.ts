import type { Rule } from '../../../src/rules/ast';
import { parseRule } from '../../../src/rules/parser';
import { A, B, C, D, and, cond, not, or } from './build';

const a = A.ast;
const b = B.ast;
const c = C.ast;
const d = D.ast;
const days = (amount: number) => ({ amount, unit: 'days' as const });
const hours = (amount: number) => ({ amount, unit: 'hours' as const });

describe('parseRule: the examples of DESIGN §3.3', () => {
  test.each<[string, Rule]>([
    ['lifetimeValue > 5000 OR tag = "VIP"', or(cond('lifetimeValue', '>', 5000), cond('tags', 'has', 'VIP'))],
    ['lastConversationAt more than 30 days ago', cond('lastConversationAt', 'more than ago', days(30))],
    ['leadScore > 80 AND openDeals > 0', and(cond('leadScore', '>', 80), cond('openDeals', '>', 0))],
    ['createdAt within last 7 days', cond('createdAt', 'within last', days(7))],
    [
      'supportTickets > 3 AND NOT lastPurchaseAt within last 60 days',
      and(cond('supportTickets', '>', 3), not(cond('lastPurchaseAt', 'within last', days(60)))),
    ],
    ['name contains "Smith"', cond('name', 'contains', 'Smith')],
    ['emailDomain = "company.com"', cond('emailDomain', '=', 'company.com')],
    [
      'custom.plan in ("pro", "enterprise") AND custom.region exists',
      and(cond('custom.plan', 'in', ['pro', 'enterprise']), cond('custom.region', 'exists')),
    ],
    ['tag has any of ("VIP", "Beta")', cond('tags', 'has any of', ['VIP', 'Beta'])],
    [
      'in segment "VIP Customers" AND NOT in segment "At Risk"',
      and(cond('segment', 'in segment', 'VIP Customers'), not(cond('segment', 'in segment', 'At Risk'))),
    ],
  ])('%s', (text, expected) => {
    expect(parseRule(text)).toEqual(expected);
  });
});

describe('parseRule: every operator', () => {
  test.each<[string, Rule]>([
    ['name = "x"', cond('name', '=', 'x')],
    ['name != "x"', cond('name', '!=', 'x')],
    ['leadScore >= 1.5', cond('leadScore', '>=', 1.5)],
    ['leadScore <= -2', cond('leadScore', '<=', -2)],
    ['leadScore<1e3', cond('leadScore', '<', 1000)],
    ['leadScore = 0', cond('leadScore', '=', 0)],
    ['leadScore between -1 and 2.5', cond('leadScore', 'between', [-1, 2.5])],
    ['leadScore between 3 and 3', cond('leadScore', 'between', [3, 3])],
    ['name not contains "x"', cond('name', 'not contains', 'x')],
    ['name starts with "a"', cond('name', 'starts with', 'a')],
    ['email ends with "@x.com"', cond('email', 'ends with', '@x.com')],
    ['leadScore in (1, 2)', cond('leadScore', 'in', [1, 2])],
    ['name not in ("a")', cond('name', 'not in', ['a'])],
    ['phone not exists', cond('phone', 'not exists')],
    ['createdAt before 2026-01-15', cond('createdAt', 'before', '2026-01-15')],
    ['createdAt after 2026-01-15T10:00:00Z', cond('createdAt', 'after', '2026-01-15T10:00:00Z')],
    ['createdAt after 2026-01-15T10:00:00.250Z', cond('createdAt', 'after', '2026-01-15T10:00:00.250Z')],
    ['updatedAt on 2024-02-29', cond('updatedAt', 'on', '2024-02-29')],
    ['createdAt exists', cond('createdAt', 'exists')],
    ['createdAt within last 1 day', cond('createdAt', 'within last', days(1))],
    ['createdAt within last 12 hours', cond('createdAt', 'within last', hours(12))],
    ['createdAt more than 1 hour ago', cond('createdAt', 'more than ago', hours(1))],
    ['optedOut is true', cond('optedOut', 'is true')],
    ['optedOut is false', cond('optedOut', 'is false')],
    ['optedOut exists', cond('optedOut', 'exists')],
    ['tag has "VIP"', cond('tags', 'has', 'VIP')],
    ['tags = "VIP"', cond('tags', 'has', 'VIP')],
    ['tag != "VIP"', not(cond('tags', 'has', 'VIP'))],
    ['tag has all of ("a", "b")', cond('tags', 'has all of', ['a', 'b'])],
    ['tags has none of ("a")', cond('tags', 'has none of', ['a'])],
    ['custom.n = 5', cond('custom.n', '=', 5)],
    ['custom.s = "5"', cond('custom.s', '=', '5')],
    ['custom.x in (1, 2)', cond('custom.x', 'in', [1, 2])],
    ['custom.x not in ("a", "b")', cond('custom.x', 'not in', ['a', 'b'])],
    ['custom.d before "2026-01-15"', cond('custom.d', 'before', '2026-01-15')],
    ['custom.d within last 3 days', cond('custom.d', 'within last', days(3))],
    ['custom.flag is true', cond('custom.flag', 'is true')],
    ['custom.my-key_2 exists', cond('custom.my-key_2', 'exists')],
    ['custom.AND > 1', cond('custom.AND', '>', 1)],
    ['not in segment "X"', not(cond('segment', 'in segment', 'X'))],
  ])('%s', (text, expected) => {
    expect(parseRule(text)).toEqual(expected);
  });
});

describe('parseRule: literals and layout', () => {
  test.each<[string, Rule]>([
    ['name = "a\\"b\\\\c\\n\\t\\r\\u00e9\\uD83D\\uDE00"', cond('name', '=', 'a"b\\c\n\t\ré😀')],
    ['name = "\\uD800"', cond('name', '=', '\uD800')],
    ['name = ""', cond('name', '=', '')],
    ['name = "tab\there é 日本"', cond('name', '=', 'tab\there é 日本')],
    ['name = "AND OR NOT ) ("', cond('name', '=', 'AND OR NOT ) (')],
    ['leadScore = -12', cond('leadScore', '=', -12)],
    ['leadScore = 3.5', cond('leadScore', '=', 3.5)],
    ['leadScore = 1E+2', cond('leadScore', '=', 100)],
    ['leadScore = 1.5e-7', cond('leadScore', '=', 1.5e-7)],
    ['leadScore = -0', cond('leadScore', '=', 0)],
    ['  leadScore\n>\t1\r\n', a],
    ['leadScore > 1\nAND\nopenDeals > 0', and(a, b)],
    ['(leadScore>1)AND(openDeals>0)', and(and(a), and(b))],
  ])('%j', (text, expected) => {
    expect(parseRule(text)).toEqual(expected);
  });
});

describe('parseRule: keywords are case-insensitive', () => {
  test.each<[string, Rule]>([
    [`${A.text} and ${B.text} Or not ${C.text}`, or(and(a, b), not(c))],
    ['createdAt WITHIN LAST 7 DAYS', cond('createdAt', 'within last', days(7))],
    ['lastConversationAt More Than 30 Days Ago', cond('lastConversationAt', 'more than ago', days(30))],
    ['name NOT CONTAINS "x"', cond('name', 'not contains', 'x')],
    ['name Starts With "a"', cond('name', 'starts with', 'a')],
    ['optedOut IS TRUE', cond('optedOut', 'is true')],
    ['tag HAS ANY OF ("a")', cond('tags', 'has any of', ['a'])],
    ['leadScore BETWEEN 1 AND 2', cond('leadScore', 'between', [1, 2])],
    ['NOT IN SEGMENT "x"', not(cond('segment', 'in segment', 'x'))],
  ])('%s', (text, expected) => {
    expect(parseRule(text)).toEqual(expected);
  });
});

describe('parseRule: precedence, flattening, one-child groups, NOT', () => {
  const [ta, tb, tc, td] = [A.text, B.text, C.text, D.text];
  test.each<[string, Rule]>([
    [`${ta} OR ${tb} AND ${tc}`, or(a, and(b, c))],
    [`${ta} AND ${tb} OR ${tc}`, or(and(a, b), c)],
    [`${ta} AND ${tb} AND ${tc}`, and(a, b, c)],
    [`${ta} OR ${tb} OR ${tc} AND ${td} OR ${ta}`, or(a, b, and(c, d), a)],
    [`(${ta} OR ${tb}) AND ${tc}`, and(or(a, b), c)],
    [`(${ta} AND ${tb}) AND ${tc}`, and(and(a, b), c)],
    [`${ta} AND openDeals between 1 and 2 AND ${tc}`, and(a, cond('openDeals', 'between', [1, 2]), c)],
    [`(${ta} OR ${tb})`, or(a, b)],
    [`(${ta})`, and(a)],
    [`((${ta}))`, and(and(a))],
    [`((${ta} OR ${tb}))`, and(or(a, b))],
    [`(NOT ${ta})`, and(not(a))],
    [`${ta} AND (${tb})`, and(a, and(b))],
    [`NOT ${ta}`, not(a)],
    [`NOT (${ta})`, not(and(a))],
    [`NOT (${ta} OR ${tb})`, not(or(a, b))],
    [`NOT ${ta} OR ${tb}`, or(not(a), b)],
    [`NOT (NOT ${ta})`, not(and(not(a)))],
    [`NOT ${tc}`, not(c)],
    [`NOT (${tb} AND ${tc}) OR NOT (${ta})`, or(not(and(b, c)), not(and(a)))],
  ])('%s', (text, expected) => {
    expect(parseRule(text)).toEqual(expected);
  });
});
