/**
 * The console rule builder's pure functions (console/js/rule-text.js) against the project's rule
 * grammar: the builder prints exactly what the server's formatRule prints, for random rules of
 * every field type and operator (tricky strings included), the parser reads it back to the same
 * AST, and every rule kind typed as text opens in the builder and prints back unchanged. The
 * builder's field labels and value shapes follow the server's catalogue, so a field added there
 * fails here until the builder knows it.
 */
import fc from 'fast-check';
import type { Rule } from '../../../src/rules/ast';
import { OPERATORS_BY_TYPE, STANDARD_FIELDS, type FieldType } from '../../../src/rules/catalogue';
import { valueKind } from '../../../src/rules/checks';
import { formatRule } from '../../../src/rules/format';
import { parseRule } from '../../../src/rules/parser';
import { arbRule } from '../../support/ruleArbitrary';

type Tree = Record<string, any> & { field: string; operator: string };
interface RuleText {
  printRule(rule: Rule): string;
  toBuilder(rule: Rule | null): Tree;
  fromBuilder(root: Tree): Rule | null;
  valueKind(type: string, op: string): string;
  missingValue(c: Tree, type: string): string | null;
  withOperator(c: Tree, op: string, type: string): Tree;
  newCondition(field: string, type: string, operators: readonly string[]): Tree;
  conditionsOf(r: Tree): Tree[];
  customOperators(observed: string, all: readonly string[]): string[];
  parseList(text: string, numbers: boolean): unknown[] | null;
  FIELD_LABELS: Record<string, [string, string]>;
  FIELD_GROUPS: string[];
  operatorLabel(type: string, op: string): string;
}
// An ES module served to the browser as is; jest's transform lets the test load it.
const rt = jest.requireActual<RuleText>('../../../console/js/rule-text.js');

const typeOf = (field: string): FieldType =>
  field.startsWith('custom.') ? 'custom' : STANDARD_FIELDS.find((f) => f.name === field)!.type;

test('printRule prints what formatRule prints, and parseRule reads it back (random rules)', () => {
  fc.assert(
    fc.property(arbRule({ maxDepth: 4, maxChildren: 4 }), (rule) => {
      const text = rt.printRule(rule);
      expect(text).toBe(formatRule(rule));
      expect(parseRule(text)).toEqual(rule);
    }),
    { numRuns: 3000 },
  );
});

test('every rule opens in the builder and comes back as the same AST', () => {
  fc.assert(
    fc.property(arbRule(), (rule) => {
      expect(rt.fromBuilder(rt.toBuilder(rule))).toEqual(rule);
    }),
    { numRuns: 1000 },
  );
});

/** One canonical text per rule kind: every field type and operator, the phrases, NOT, groups. */
const KINDS = [
  'name contains "Smith"',
  'name not contains "x"',
  'name starts with "A"',
  'name ends with "son"',
  'name = "Ann"',
  'name != "Ann"',
  'emailDomain = "company.com"',
  'emailDomain in ("a.com", "b.com")',
  'email not in ("x@y.z")',
  'phone exists',
  'externalId not exists',
  'createdAt within last 7 days',
  'createdAt within last 1 hour',
  'createdAt more than 30 days ago',
  'updatedAt before 2026-12-07',
  'updatedAt after 2026-12-07T09:30:00Z',
  'createdAt on 2026-02-28',
  'lastPurchaseAt exists',
  'optedOut is true',
  'optedOut is false',
  'lifetimeValue > 5000',
  'lifetimeValue >= 1.5',
  'leadScore < 10',
  'leadScore <= 0',
  'purchaseCount = 3',
  'purchaseCount != 3',
  'leadScore between 10 and 80',
  'openDeals in (1, 2)',
  'supportTickets not in (0)',
  'totalTickets exists',
  'tag = "VIP"',
  'NOT tag = "VIP"',
  'tag has any of ("VIP", "Beta")',
  'tag has all of ("a", "b")',
  'tag has none of ("spam")',
  'custom.plan = "pro"',
  'custom.seats = 12',
  'custom.plan in ("pro", "enterprise")',
  'custom.seats in (1, 2)',
  'custom.region exists',
  'custom.trial is true',
  'custom.renewal before 2027-01-01',
  'custom.renewal within last 30 days',
  'custom.seats between 1 and 5',
  'custom.note contains "x"',
  'conversations in last 7 days >= 3',
  'conversations in last 2 hours < 1',
  'asked about "refund" at least 2 times in last 14 days',
  'asked about "pricing" exactly 1 time in last 1 day',
  'conversations in last 30 days > 2',
  'conversations in last 90 days <= 4',
  'conversations in last 7 days = 0',
  'asked about "cancel" more than 1 time in last 7 days',
  'asked about "refund" fewer than 3 times in last 14 days',
  'asked about "login" at most 5 times in last 48 hours',
  'handoff open',
  'waited for an agent more than 10 minutes',
  'optedOut exists',
  'optedOut not exists',
  'leadScore not exists',
  'lastPurchaseAt not exists',
  'lastMessageAt within last 2 hours',
  'in segment "VIP Customers"',
  'NOT in segment "At Risk"',
  '(tag = "VIP")',
  'NOT (tag = "VIP" OR leadScore > 80)',
  'leadScore > 80 AND openDeals > 0',
  'lifetimeValue > 5000 OR tag = "VIP"',
  '(leadScore > 80 AND NOT lastPurchaseAt within last 60 days) OR (in segment "A" AND (name contains "x"))',
];

test.each(KINDS)('%s: text → builder → the same text, complete', (text) => {
  const rule = parseRule(text);
  expect(formatRule(rule)).toBe(text); // the table holds canonical texts
  const tree = rt.toBuilder(rule);
  for (const c of rt.conditionsOf(tree))
    expect([c.field, rt.missingValue(c, typeOf(c.field))]).toEqual([c.field, null]);
  expect(rt.printRule(rt.fromBuilder(tree)!)).toBe(text);
});

test('the table covers every field type and every operator each type allows', () => {
  const seen = new Set(
    KINDS.flatMap((t) => rt.conditionsOf(rt.toBuilder(parseRule(t)))).map(
      (c) => `${typeOf(c.field)} ${c.operator}`,
    ),
  );
  const all = (Object.keys(OPERATORS_BY_TYPE) as FieldType[]).flatMap((type) =>
    OPERATORS_BY_TYPE[type]
      // custom.* allows every operator; the table gives it one of each value shape instead.
      .filter(() => type !== 'custom')
      .map((op) => `${type} ${op}`),
  );
  expect(all.filter((k) => !seen.has(k))).toEqual([]);
});

test('value shapes and labels follow the server catalogue', () => {
  for (const type of Object.keys(OPERATORS_BY_TYPE) as FieldType[])
    for (const op of OPERATORS_BY_TYPE[type])
      expect([type, op, rt.valueKind(type, op)]).toEqual([type, op, valueKind(type, op)]);
  for (const f of STANDARD_FIELDS) {
    const [label, group] = rt.FIELD_LABELS[f.name] ?? [];
    expect([f.name, typeof label, rt.FIELD_GROUPS.includes(group ?? '')]).toEqual([f.name, 'string', true]);
  }
  expect(rt.operatorLabel('number', '>=')).toBe('is at least');
  expect(rt.operatorLabel('activity', '>=')).toBe('at least');
  expect(rt.customOperators('boolean', OPERATORS_BY_TYPE.custom)).toEqual([
    'is true',
    'is false',
    'exists',
    'not exists',
  ]);
  expect(rt.customOperators('mixed', OPERATORS_BY_TYPE.custom)).toEqual(OPERATORS_BY_TYPE.custom);
});

test('editing: an empty group disappears, an unfinished condition says what it needs', () => {
  expect(rt.fromBuilder(rt.toBuilder(null))).toBeNull();
  const tree = rt.toBuilder(parseRule('tag = "VIP"'));
  tree.children.push({ kind: 'group', op: 'or', children: [] });
  expect(rt.printRule(rt.fromBuilder(tree)!)).toBe('tag = "VIP"');
  const created = rt.newCondition('createdAt', 'date', OPERATORS_BY_TYPE.date);
  expect(created).toEqual({ kind: 'condition', field: 'createdAt', operator: 'before' });
  expect(rt.missingValue(created, 'date')).toBe('a date such as 2026-12-07');
  const within = rt.withOperator(created, 'within last', 'date');
  expect(rt.printRule(within as Rule)).toBe('createdAt within last 7 days');
  // The value is kept while its shape fits the new operator, dropped when it does not.
  expect(rt.withOperator({ ...within }, 'more than ago', 'date').value).toEqual({ amount: 7, unit: 'days' });
  expect(
    rt.withOperator({ kind: 'condition', field: 'name', operator: 'contains', value: 'x' }, '=', 'string')
      .value,
  ).toBe('x');
  expect(
    rt.withOperator({ kind: 'condition', field: 'name', operator: 'contains', value: 'x' }, 'in', 'string')
      .value,
  ).toBeUndefined();
  expect(
    rt.missingValue({ kind: 'condition', field: 'leadScore', operator: 'between', value: [5, 1] }, 'number'),
  ).toBe('two numbers, low and high');
  expect(
    rt.missingValue({ kind: 'condition', field: 'segment', operator: 'in segment', value: '' }, 'segment'),
  ).toBe('a segment or list');
  expect(rt.parseList(' a \n\n b', false)).toEqual(['a', 'b']);
  expect(rt.parseList('1\n2.5', true)).toEqual([1, 2.5]);
  expect(rt.parseList('1\nx', true)).toBeNull();
});
