/**
 * nextFlip is exact: the predicate's value is constant from `now` up to the returned instant and
 * differs at it; with null it never changes. Checked on random rules and contacts against an
 * independent list of instants where something could change (every contact date ± every window).
 */
import type { Rule, RuleContact } from '../../../src/rules/ast';
import { parseRule } from '../../../src/rules/parser';
import { dependsOnTime } from '../../../src/rules/lower';
import { nextFlip } from '../../../src/rules/nextflip';
import { compilePredicate } from '../../../src/rules/predicate';
import {
  INTENT_POOL,
  RELATIVE,
  Rng,
  randomContact,
  randomDate,
  randomNow,
  randomRanked,
  testContext,
} from '../../support/randomContacts';
import { contactFor, randomRule } from '../../support/randomRules';

const H = 3_600_000;
const D = 86_400_000;
const windows = RELATIVE.map((r) => r.amount * (r.unit === 'days' ? D : r.unit === 'hours' ? H : 60_000));
/** Occurrences newest first, as the bot stores them (r = 1 is the latest). */
const ranked = (...ats: Date[]) => ats.map((at, k) => ({ r: k + 1, at }));

const DATE_FIELDS = ['createdAt', 'updatedAt', 'lastPurchaseAt', 'lastConversationAt', 'custom.since'];

/** A rule with at least one relative-date condition somewhere near the top. */
function timeRule(r: Rng): Rule {
  const time: Rule = {
    kind: 'condition',
    field: r.pick(DATE_FIELDS),
    operator: r.chance(0.5) ? 'within last' : 'more than ago',
    value: { ...r.pick(RELATIVE) },
  };
  if (r.chance(0.3)) time.not = true;
  const children = [time, randomRule(r, 2)];
  if (r.chance(0.5)) children.push(timeRule(r));
  return { kind: 'group', op: r.chance(0.5) ? 'and' : 'or', children };
}

/** Instants at which a rule over this contact could change value, found without the engine. */
function probes(contact: RuleContact, nowMs: number): number[] {
  const dates = [...Object.values(contact), ...Object.values(contact.custom ?? {})].filter(
    (v): v is Date => v instanceof Date || Object.prototype.toString.call(v) === '[object Date]',
  );
  const out = [nowMs + 1, nowMs + H, nowMs + D, nowMs + 400 * D];
  for (const d of dates) {
    for (const w of [0, ...windows]) for (const e of [-1, 0, 1, 2]) out.push(d.getTime() + w + e);
  }
  return out.filter((t) => t >= nowMs);
}

describe('nextFlip', () => {
  const now = new Date('2025-06-15T12:00:00.000Z');
  const at = (ms: number) => new Date(now.getTime() + ms);

  test.each([
    ['createdAt within last 7 days', { createdAt: at(-D) }, at(6 * D + 1)],
    ['createdAt within last 7 days', { createdAt: at(-7 * D - 1) }, null],
    ['createdAt within last 7 days', { createdAt: at(H) }, at(H)],
    ['lastConversationAt more than 30 days ago', { lastConversationAt: at(-D) }, at(29 * D + 1)],
    ['lastConversationAt more than 30 days ago', { lastConversationAt: at(-30 * D) }, at(1)],
    ['lastConversationAt more than 30 days ago', {}, null],
    ['lastConversationAt more than 30 days ago', { lastConversationAt: '2025-06-01' }, null],
    ['NOT lastPurchaseAt within last 60 days', { lastPurchaseAt: at(-D) }, at(59 * D + 1)],
    ['createdAt before 2025-07-01', { createdAt: at(-D) }, null],
    ['createdAt within last 1 day OR createdAt within last 2 days', { createdAt: at(-H) }, at(2 * D - H + 1)],
    ['createdAt within last 1 day AND leadScore > 80', { createdAt: at(-H), leadScore: 10 }, null],
    ['custom.since within last 48 hours', { custom: { since: at(-H) } }, at(47 * H + 1)],
    // windowed counts flip when the occurrence at the tested rank leaves the window
    ['conversations in last 7 days >= 2', { recentConversations: ranked(at(-H), at(-D)) }, at(6 * D + 1)],
    ['conversations in last 7 days >= 2', { recentConversations: ranked(at(-H)) }, null],
    ['conversations in last 7 days < 2', { recentConversations: ranked(at(-H), at(-D)) }, at(6 * D + 1)],
    ['conversations in last 1 day = 1', { recentConversations: ranked(at(-H), at(-2 * H)) }, at(22 * H + 1)],
    ['waited for an agent more than 10 minutes', { handoffWaitingSince: at(-60_000) }, at(9 * 60_000 + 1)],
    ['handoff open', { handoffStatus: 'waiting' }, null],
    [
      'tag = "VIP" AND asked about "cancel" at least 1 times in last 3 days',
      {
        tags: ['vip'],
        recentIntents: [
          { i: 'cancel', r: 1, at: at(-D) },
          { i: 'refund', r: 1, at: at(-H) },
        ],
      },
      at(2 * D + 1),
    ],
  ])('%s on %j', (text, contact, expected) => {
    expect(nextFlip(parseRule(text), contact as RuleContact, now)).toEqual(expected);
  });

  test('windowed counts: random counts, windows and ranked occurrences; constant before the flip, different at it', () => {
    const r = new Rng(1313);
    const ops = ['>=', '>', '<', '<=', '='] as const;
    let flips = 0;
    for (let i = 0; i < 1500; i++) {
      const op = r.pick(ops);
      const count = op === '>=' || op === '<' ? 1 + r.int(4) : r.int(4);
      const last = { ...r.pick(RELATIVE) };
      const intent = r.chance(0.5) ? r.pick(INTENT_POOL) : undefined;
      const rule: Rule =
        intent === undefined
          ? { kind: 'condition', field: 'conversations', operator: op, value: { count, last } }
          : { kind: 'condition', field: 'intents', operator: op, value: { intent, count, last } };
      if (r.chance(0.2)) rule.not = true;
      const t0 = randomNow(r);
      const contact: RuleContact = {
        [intent === undefined ? 'recentConversations' : 'recentIntents']: randomRanked(
          r,
          intent !== undefined,
          () => randomDate(r),
        ),
      };
      const pred = compilePredicate(rule);
      const value = pred(contact, t0);
      const flip = nextFlip(rule, contact, t0);
      const end = flip ? flip.getTime() : Infinity;
      const where = `rule ${JSON.stringify(rule)} contact ${JSON.stringify(contact)} now ${t0.toISOString()}`;
      if (flip) {
        flips++;
        expect([pred(contact, flip) !== value, pred(contact, new Date(end - 1)) === value, where]).toEqual([
          true,
          true,
          where,
        ]);
      }
      const stored = Object.values(contact)[0];
      const ats = (Array.isArray(stored) ? (stored as { at?: unknown }[]) : [])
        .map((e) => e?.at)
        .filter((v): v is Date => v instanceof Date);
      for (const d of ats) {
        for (const w of windows) {
          for (const e of [-1, 0, 1, 2]) {
            const s = d.getTime() + w + e;
            if (s >= t0.getTime() && s < end && pred(contact, new Date(s)) !== value)
              throw new Error(`changed at ${new Date(s).toISOString()}: ${where}`);
          }
        }
      }
    }
    expect(flips).toBeGreaterThan(100);
  });

  test('with segment conditions: exact with a context, never later without one', () => {
    const rule = parseRule('createdAt within last 1 day AND in segment "VIP Customers"');
    const contact = { createdAt: at(-H), segments: [{ segmentId: 'x' }] };
    expect(nextFlip(rule, contact, now, testContext)).toBeNull();
    expect(nextFlip(rule, contact, now)).toEqual(at(23 * H + 1));
  });

  test('random rules and contacts: constant before the flip, different at it', () => {
    const r = new Rng(777);
    const pool = Array.from({ length: 300 }, () => randomContact(r));
    let flips = 0;
    for (let i = 0; i < 1500; i++) {
      const rule: Rule = i % 3 ? timeRule(r) : randomRule(r);
      const t0 = randomNow(r);
      const contact = i % 2 ? r.pick(pool) : contactFor(r, rule, t0, r.pick(pool));
      const pred = compilePredicate(rule, testContext);
      const value = pred(contact, t0);
      const flip = nextFlip(rule, contact, t0, testContext);
      const end = flip ? flip.getTime() : Infinity;
      const where = `rule ${JSON.stringify(rule)} contact ${JSON.stringify(contact)} now ${t0.toISOString()}`;
      if (flip) {
        flips++;
        expect([
          flip > t0,
          pred(contact, flip) !== value,
          pred(contact, new Date(end - 1)) === value,
          where,
        ]).toEqual([true, true, true, where]);
        const lax = nextFlip(rule, contact, t0);
        expect([lax !== null && lax <= flip, where]).toEqual([true, where]);
      }
      for (const s of probes(contact, t0.getTime())) {
        if (s < end && pred(contact, new Date(s)) !== value)
          throw new Error(`changed at ${new Date(s).toISOString()}: ${where}`);
      }
    }
    expect(flips).toBeGreaterThan(100);
  });

  test('dependsOnTime: a rule it calls time-free never flips and answers the same at any instant', () => {
    const r = new Rng(4242);
    const pool = Array.from({ length: 200 }, () => randomContact(r));
    let free = 0;
    for (let i = 0; i < 1500; i++) {
      const rule: Rule = i % 4 ? randomRule(r) : timeRule(r);
      if (i % 4 === 0) expect(dependsOnTime(rule, testContext)).toBe(true);
      if (dependsOnTime(rule, testContext)) continue;
      free++;
      const contact = r.pick(pool);
      const t0 = randomNow(r);
      const pred = compilePredicate(rule, testContext);
      const where = `rule ${JSON.stringify(rule)} contact ${JSON.stringify(contact)}`;
      expect([nextFlip(rule, contact, t0, testContext), where]).toEqual([null, where]);
      for (const s of probes(contact, t0.getTime()))
        expect([pred(contact, new Date(s)), where]).toEqual([pred(contact, t0), where]);
    }
    expect(free).toBeGreaterThan(300);
  });
});
