/**
 * explainRule: every node's verdict is what the compiled targets say for that node alone, and the
 * tree carries what a person needs to read it (canonical text, actual values as JSON).
 */
import { Query } from 'mingo';
import type { Rule } from '../../../src/rules/ast';
import { explainRule, type Explanation } from '../../../src/rules/explain';
import { compileMongo } from '../../../src/rules/mongo';
import { nextFlip } from '../../../src/rules/nextflip';
import { parseRule } from '../../../src/rules/parser';
import { compilePredicate } from '../../../src/rules/predicate';
import { Rng, randomContact, randomNow, testContext } from '../../support/randomContacts';
import { contactFor, randomRule } from '../../support/randomRules';

const now = new Date('2025-06-15T12:00:00.000Z');

test('a readable tree for a seed segment', () => {
  const rule = parseRule('supportTickets > 3 AND NOT lastPurchaseAt within last 60 days');
  const contact = { supportTickets: 5, lastPurchaseAt: new Date('2025-05-01T00:00:00.000Z') };
  const out = explainRule(rule, contact, now);
  expect(JSON.parse(JSON.stringify(out))).toEqual({
    result: false,
    nextFlip: '2025-06-30T00:00:00.001Z',
    tree: {
      kind: 'group',
      path: '',
      op: 'and',
      not: false,
      result: false,
      children: [
        {
          kind: 'condition',
          path: 'children[0]',
          text: 'supportTickets > 3',
          field: 'supportTickets',
          operator: '>',
          value: 3,
          not: false,
          actual: 5,
          missing: false,
          result: true,
        },
        {
          kind: 'condition',
          path: 'children[1]',
          text: 'NOT lastPurchaseAt within last 60 days',
          field: 'lastPurchaseAt',
          operator: 'within last',
          value: { amount: 60, unit: 'days' },
          not: true,
          actual: '2025-05-01T00:00:00.000Z',
          missing: false,
          result: false,
        },
      ],
    },
  });
});

test('segment conditions show the contact’s segment ids; missing fields are null', () => {
  const rule = parseRule('in segment "VIP Customers" OR custom.plan = "pro"');
  const out = explainRule(rule, { segments: [{ segmentId: 's1' }] }, now, testContext);
  const [seg, plan] = out.tree.kind === 'group' ? out.tree.children : [];
  expect(seg).toMatchObject({ actual: ['s1'], result: true, text: 'in segment "VIP Customers"' });
  expect(plan).toMatchObject({ actual: null, missing: true, result: false });
  expect(out).toMatchObject({ result: true, nextFlip: null });
});

/** Finds the sub-rule at an explanation path such as `children[1].children[0]`. */
function at(rule: Rule, path: string): Rule {
  let node = rule;
  for (const m of path.matchAll(/children\[(\d+)\]/g)) {
    if (node.kind !== 'group') throw new Error(`no ${path}`);
    node = node.children[Number(m[1])] as Rule;
  }
  return node;
}

test('random: every node agrees with the predicate and with mingo for that node alone', () => {
  const r = new Rng(99);
  const pool = Array.from({ length: 200 }, () => randomContact(r));
  for (let i = 0; i < 400; i++) {
    const rule = randomRule(r);
    const t = randomNow(r);
    const contact = i % 2 ? r.pick(pool) : contactFor(r, rule, t, r.pick(pool));
    const out = explainRule(rule, contact, t, testContext);
    expect(out.result).toBe(compilePredicate(rule, testContext)(contact, t));
    expect(out.nextFlip).toBe(nextFlip(rule, contact, t, testContext)?.toISOString() ?? null);
    const visit = (e: Explanation): void => {
      const sub = at(rule, e.path);
      expect(sub.kind).toBe(e.kind);
      const mingo = new Query(compileMongo(sub, t, testContext)).test(contact);
      expect([e.path, e.result]).toEqual([e.path, compilePredicate(sub, testContext)(contact, t)]);
      expect([e.path, e.result]).toEqual([e.path, mingo]);
      if (e.kind === 'group') e.children.forEach(visit);
    };
    visit(out.tree);
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  }
});
