/**
 * The conversation-aware conditions (issue 13) in the text form, the AST, validation, explain and
 * the catalogue. Their agreement across targets is in the shared tables (ruleCases.ts), the
 * differential tests and the nextFlip properties.
 */
import { explainRule, fieldCatalogue, formatRule, parseRule, validateRule } from '../../../src/rules';
import { RuleSyntaxError, RuleValidationError } from '../../../src/rules/errors';

const NOW = new Date('2025-06-15T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const H = 3_600_000;
const D = 86_400_000;

test.each([
  [
    'conversations in last 7 days >= 3',
    { field: 'conversations', operator: '>=', value: { count: 3, last: { amount: 7, unit: 'days' } } },
  ],
  [
    'conversations in last 1 hour = 0',
    { field: 'conversations', operator: '=', value: { count: 0, last: { amount: 1, unit: 'hours' } } },
  ],
  [
    'asked about "refund" at least 2 times in last 14 days',
    {
      field: 'intents',
      operator: '>=',
      value: { intent: 'refund', count: 2, last: { amount: 14, unit: 'days' } },
    },
  ],
  [
    'asked about "cancel" fewer than 1 time in last 30 minutes',
    {
      field: 'intents',
      operator: '<',
      value: { intent: 'cancel', count: 1, last: { amount: 30, unit: 'minutes' } },
    },
  ],
  ['handoff open', { field: 'handoffStatus', operator: 'exists' }],
  [
    'waited for an agent more than 10 minutes',
    { field: 'handoffWaitingSince', operator: 'more than ago', value: { amount: 10, unit: 'minutes' } },
  ],
])('%s is canonical text for %j', (text, ast) => {
  const rule = parseRule(text);
  expect(rule).toEqual({ kind: 'condition', ...ast });
  expect(formatRule(rule)).toBe(text);
  expect(validateRule(JSON.parse(JSON.stringify(rule)))).toEqual(rule);
});

test.each([
  ['opted out', 'optedOut is true'],
  ['last message within last 2 hours', 'lastMessageAt within last 2 hours'],
  [
    'asked about "REFUND" AT LEAST 1 TIMES IN LAST 3 DAYS',
    'asked about "refund" at least 1 time in last 3 days',
  ],
  ['handoffStatus exists', 'handoff open'],
  ['Conversations In Last 2 Hours > 1', 'conversations in last 2 hours > 1'],
  [
    'tag = "VIP" AND asked about "cancel" at least 1 times in last 3 days',
    'tag = "VIP" AND asked about "cancel" at least 1 time in last 3 days',
  ],
])('%s is written canonically as %s', (text, canonical) => {
  expect(formatRule(parseRule(text))).toBe(canonical);
  expect(parseRule(canonical)).toEqual(parseRule(text));
});

test.each([
  ['conversations in last 7 days >= 0', '1:33', 'always holds'],
  ['conversations in last 7 days < 0', '1:32', 'never holds'],
  ['conversations in last 7 days > 20', '1:32', 'at most 19'],
  ['conversations in last 91 days >= 1', '1:23', 'at most 90 days'],
  ['conversations in last 7 weeks >= 1', '1:25', '"minutes"'],
  ['conversations >= 3', '1:15', '"in"'],
  ['asked about "refnud" at least 1 time in last 2 days', '1:13', 'expected one of cancel'],
  ['asked about refund at least 1 time in last 2 days', '1:13', 'an intent in double quotes'],
  ['asked about "refund" at least 21 times in last 2 days', '1:31', 'from 0 to 20'],
  ['asked about "refund" often in last 2 days', '1:22', '"at least"'],
  ['handoff closed', '1:9', '"open"'],
  ['waited for an agent more than 10 weeks', '1:34', '"minutes"'],
  ['intents >= 1', '1:1', 'a field such as'],
])('%s → syntax error at %s', (text, where, message) => {
  try {
    parseRule(text);
    throw new Error('parsed');
  } catch (e) {
    expect(e).toBeInstanceOf(RuleSyntaxError);
    const err = e as RuleSyntaxError;
    expect([`${err.line}:${err.column}`, err.message]).toEqual([where, expect.stringContaining(message)]);
  }
});

test.each([
  [{ count: 3 }, 'value.last'],
  [{ count: 3, last: { amount: 7, unit: 'days' }, extra: 1 }, 'value.extra'],
  [{ count: 2.5, last: { amount: 7, unit: 'days' } }, 'value.count'],
  [{ count: 3, last: { amount: 7, unit: 'weeks' } }, 'value.last.unit'],
  [{ count: 3, last: { amount: 2161, unit: 'hours' } }, 'value.last'],
  [{ count: 3, last: { amount: 7, unit: 'days' }, intent: 'refund' }, 'value.intent'],
  ['3', 'value'],
])('validateRule refuses conversations value %j at %s', (value, path) => {
  try {
    validateRule({ kind: 'condition', field: 'conversations', operator: '>=', value });
    throw new Error('valid');
  } catch (e) {
    expect(e).toBeInstanceOf(RuleValidationError);
    expect((e as RuleValidationError).problems.map((p) => p.path)).toContain(path);
  }
});

test('validateRule: intents need a known intent; the operator must be a comparison', () => {
  const bad = (rule: unknown) => () => validateRule(rule);
  const last = { amount: 1, unit: 'days' };
  expect(bad({ kind: 'condition', field: 'intents', operator: '>=', value: { count: 1, last } })).toThrow(
    RuleValidationError,
  );
  expect(
    bad({ kind: 'condition', field: 'intents', operator: '>=', value: { intent: '$where', count: 1, last } }),
  ).toThrow(/expected one of/);
  expect(
    bad({
      kind: 'condition',
      field: 'conversations',
      operator: 'within last',
      value: { amount: 1, unit: 'days' },
    }),
  ).toThrow(/not allowed/);
});

test('explain shows the count in the window and when it changes', () => {
  const rule = parseRule('tag = "VIP" AND asked about "cancel" at least 2 times in last 3 days');
  const contact = {
    tags: ['vip'],
    recentIntents: [
      { i: 'cancel', r: 1, at: ago(H) },
      { i: 'cancel', r: 2, at: ago(2 * D) },
      { i: 'cancel', r: 3, at: ago(10 * D) },
      { i: 'refund', r: 1, at: ago(H) },
    ],
  };
  const x = explainRule(rule, contact, NOW);
  expect(x.result).toBe(true);
  expect(x.nextFlip).toBe(new Date(ago(2 * D).getTime() + 3 * D + 1).toISOString());
  const cond = x.tree.kind === 'group' ? x.tree.children[1] : undefined;
  expect(cond).toMatchObject({
    text: 'asked about "cancel" at least 2 times in last 3 days',
    actual: 2,
    result: true,
  });
  const none = explainRule(parseRule('conversations in last 7 days >= 1'), {}, NOW);
  expect(none.tree).toMatchObject({ actual: null, missing: true, result: false });
});

test('the catalogue lists the new fields, the intents and the window limits', () => {
  const names = fieldCatalogue.fields.map((f) => f.name);
  expect(names).toEqual(
    expect.arrayContaining([
      'conversations',
      'intents',
      'lastMessageAt',
      'handoffStatus',
      'handoffWaitingSince',
    ]),
  );
  expect(fieldCatalogue.intents).toEqual(expect.arrayContaining(['refund', 'cancel']));
  expect(fieldCatalogue.windows).toEqual({ maxCount: 20, maxWindowDays: 90 });
  expect(fieldCatalogue.operatorsByType.activity).toEqual(['>=', '>', '<', '<=', '=']);
});
