/**
 * compileMongoFuture, the rebuild's candidate filter for rules that move with the clock: every
 * contact the predicate holds for at `now` or at any later instant must match it (mingo as the
 * Mongo engine), checked on random rules, contacts and instants; and it stays selective.
 */
import { Query } from 'mingo';
import type { Rule, RuleContact } from '../../../src/rules/ast';
import { compileMongoFuture } from '../../../src/rules/future';
import { parseRule } from '../../../src/rules/parser';
import { compilePredicate } from '../../../src/rules/predicate';
import { RELATIVE, Rng, randomContact, randomNow, testContext } from '../../support/randomContacts';
import { contactFor, randomRule } from '../../support/randomRules';

const H = 3_600_000;
const D = 86_400_000;
const windows = RELATIVE.map((r) => r.amount * (r.unit === 'days' ? D : r.unit === 'hours' ? H : 60_000));
const DATE_FIELDS = ['createdAt', 'lastPurchaseAt', 'lastConversationAt', 'custom.since'];

function timeRule(r: Rng): Rule {
  const time: Rule = {
    kind: 'condition',
    field: r.pick(DATE_FIELDS),
    operator: r.chance(0.5) ? 'within last' : 'more than ago',
    value: { ...r.pick(RELATIVE) },
  };
  if (r.chance(0.4)) time.not = true;
  const children = [time, randomRule(r, 2)];
  if (r.chance(0.5)) children.push(timeRule(r));
  return {
    kind: 'group',
    op: r.chance(0.5) ? 'and' : 'or',
    children,
    ...(r.chance(0.2) ? { not: true } : {}),
  };
}

const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

/** Every date the contact holds, ranked occurrences included. */
function datesOf(c: RuleContact): number[] {
  const out: number[] = [];
  for (const v of [...Object.values(c), ...Object.values(c.custom ?? {})]) {
    if (isDate(v)) out.push(v.getTime());
    if (Array.isArray(v))
      for (const e of v as unknown[]) {
        const at = (e as { at?: unknown } | null)?.at;
        if (isDate(at)) out.push(at.getTime());
      }
  }
  return out;
}

/** Instants at or after `now` where a rule over `c` could change value, found without the engine. */
function probes(c: RuleContact, nowMs: number): number[] {
  const out = [nowMs, nowMs + 1, nowMs + H, nowMs + 400 * D, 8.64e15];
  for (const d of datesOf(c))
    for (const w of [0, ...windows]) for (const e of [-1, 0, 1, 2]) out.push(d + w + e);
  return out.filter((t) => t >= nowMs && t <= 8.64e15);
}

test.each([
  ['createdAt within last 7 days', { createdAt: { $gte: new Date(Date.parse('2025-06-08T12:00:00Z')) } }],
  ['lastConversationAt more than 30 days ago', { lastConversationAt: { $ne: null } }],
  ['supportTickets > 3 AND NOT lastPurchaseAt within last 60 days', { supportTickets: { $gt: 3 } }],
  [
    'NOT createdAt more than 1 days ago',
    { $nor: [{ createdAt: { $lt: new Date(Date.parse('2025-06-14T12:00:00Z')) } }] },
  ],
])('%s', (text, expected) => {
  expect(compileMongoFuture(parseRule(text), new Date('2025-06-15T12:00:00Z'))).toEqual(expected);
});

test('every contact a rule holds for now or later matches; the filter is selective', () => {
  const r = new Rng(2323);
  const pool = Array.from({ length: 300 }, () => randomContact(r));
  let held = 0;
  let excluded = 0;
  for (let i = 0; i < 600; i++) {
    const rule: Rule = i % 4 ? timeRule(r) : randomRule(r);
    const now = randomNow(r);
    const filter = compileMongoFuture(rule, now, testContext);
    const query = filter ? new Query(filter) : undefined;
    const pred = compilePredicate(rule, testContext);
    for (let j = 0; j < 10; j++) {
      const contact = j % 2 ? r.pick(pool) : contactFor(r, rule, now, r.pick(pool));
      const when = probes(contact, now.getTime()).find((t) => pred(contact, new Date(t)));
      const matches = query?.test(contact) ?? false;
      if (when !== undefined) {
        held++;
        if (!matches)
          throw new Error(
            `holds at ${new Date(when).toISOString()} but not in the filter (now ${now.toISOString()})\n` +
              `rule ${JSON.stringify(rule)}\nfilter ${JSON.stringify(filter)}\ncontact ${JSON.stringify(contact)}`,
          );
      } else if (!matches) excluded++;
    }
  }
  expect(held).toBeGreaterThan(600);
  // A candidate filter that lets everyone through would pass the check above and be useless.
  expect(excluded).toBeGreaterThan(600);
});
