/**
 * When will a rule change its mind about a contact just because time passes? The membership
 * engine stores the answer as the contact's `nextRecheckAt` (DESIGN §3.5), so it must be exact:
 * never later than the real flip (a late transition) and, with a context, never earlier either.
 */
import type { Condition, Rule, RuleContact, RuleContext } from './ast';
import { type Bound, type Check, lowerCondition } from './lower';
import { isDate, subPath } from './semantics';
import { compilePredicate, fieldValue, type Predicate } from './predicate';

/** Latest instant a JS Date can hold. */
const MAX_MS = 8.64e15;

/** Every condition of a rule with its path (the same paths errors and explain use). */
export function conditionsOf(rule: Rule, path = ''): { condition: Condition; path: string }[] {
  if (rule.kind === 'condition') return [{ condition: rule, path }];
  return rule.children.flatMap((c, i) => conditionsOf(c, subPath(path, i)));
}

interface TimeCondition {
  path: string;
  min?: Bound;
  max?: Bound;
  /** For a windowed count: only elements with these ranks (and intent) bound the window. */
  recent?: { ranks: number[]; intent?: string };
  alone: Predicate;
}

/** The time-dependent checks inside a lowered check (windowed counts nest in all/not). */
function timedChecks(check: Check): Check[] {
  if (check.kind === 'all') return check.checks.flatMap(timedChecks);
  if (check.kind === 'not') return timedChecks(check.check);
  if (check.kind === 'recent') return [check];
  if (check.kind === 'range' && (check.min?.relative || check.max?.relative)) return [check];
  return [];
}

interface Compiled {
  ctx: RuleContext | undefined;
  whole: Predicate | undefined;
  timed: TimeCondition[];
}

// nextFlip runs for every contact on every write: compile each rule version once.
const cache = new WeakMap<Rule, Compiled>();

// Lowering just to find time bounds must not fail on segment names a context would resolve.
const anySegment: RuleContext = { resolveSegment: () => '' };

function compile(rule: Rule, ctx: RuleContext | undefined): Compiled {
  const hit = cache.get(rule);
  if (hit && hit.ctx === ctx) return hit;
  const conds = conditionsOf(rule);
  const timed: TimeCondition[] = [];
  for (const { condition, path } of conds) {
    const { check: lowered } = lowerCondition(condition, ctx ?? anySegment, path);
    const checks = timedChecks(lowered);
    if (checks.length === 0) continue;
    const alone = compilePredicate(condition, ctx ?? anySegment);
    const recent = checks.filter((c) => c.kind === 'recent');
    const first = recent[0];
    if (first) {
      const ranks = recent.map((c) => c.rank);
      const t: TimeCondition = { path: first.path, min: first.since, alone };
      t.recent = first.intent === undefined ? { ranks } : { ranks, intent: first.intent };
      timed.push(t);
      continue;
    }
    for (const check of checks) {
      if (check.kind !== 'range') continue;
      const t: TimeCondition = { path: check.path, alone };
      if (check.min?.relative) t.min = check.min;
      if (check.max?.relative) t.max = check.max;
      timed.push(t);
    }
  }
  const needsCtx = conds.some((c) => c.condition.operator === 'in segment');
  const whole = needsCtx && !ctx ? undefined : compilePredicate(rule, ctx);
  const out: Compiled = { ctx, whole, timed };
  cache.set(rule, out);
  return out;
}

/** The instants a condition's window is measured against: the date, or the ranked occurrences. */
function timeValues(contact: RuleContact, t: TimeCondition): number[] {
  const v = fieldValue(contact, t.path);
  if (!t.recent) return isDate(v) ? [v.getTime()] : [];
  if (!Array.isArray(v)) return [];
  const { ranks, intent } = t.recent;
  const out: number[] = [];
  for (const e of v as unknown[]) {
    if (typeof e !== 'object' || e === null) continue;
    const x = e as { r?: unknown; i?: unknown; at?: unknown };
    if (typeof x.r !== 'number' || !ranks.includes(x.r)) continue;
    if (intent !== undefined && x.i !== intent) continue;
    if (isDate(x.at)) out.push(x.at.getTime());
  }
  return out;
}

/**
 * The instants after which `value >= now + b.ms` (min) or `value <= now + b.ms` (max) changes as
 * `now` grows: `value >= now + a` holds until now = value − a, so it turns false 1 ms later (at
 * value − a when strict); `value <= now + b` turns true at value − b (1 ms later when strict).
 */
function candidates(value: number, t: TimeCondition): number[] {
  const out: number[] = [];
  if (t.min) out.push(value - t.min.ms + (t.min.inclusive ? 1 : 0));
  if (t.max) out.push(value - t.max.ms + (t.max.inclusive ? 0 : 1));
  return out;
}

/**
 * The earliest instant after `now` at which the rule's value for `contact` changes because time
 * passes, or null if it never will (absolute dates and segment membership do not move with the
 * clock). Pass the same `ctx` as to compilePredicate; without it a rule naming segments gets a
 * conservative answer: the first instant any of its time conditions changes.
 */
export function nextFlip(rule: Rule, contact: RuleContact, now: Date, ctx?: RuleContext): Date | null {
  const { whole, timed } = compile(rule, ctx);
  const nowMs = now.getTime();
  const instants: number[] = [];
  for (const t of timed) {
    for (const v of timeValues(contact, t)) {
      for (const at of candidates(v, t)) {
        if (at > nowMs && at <= MAX_MS) instants.push(at);
      }
    }
  }
  if (instants.length === 0) return null;
  instants.sort((a, b) => a - b);
  // The value is piecewise constant between candidates: the first one that differs is the flip.
  if (whole) {
    const before = whole(contact, now);
    for (const at of instants) {
      const then = new Date(at);
      if (whole(contact, then) !== before) return then;
    }
    return null;
  }
  const before = timed.map((t) => t.alone(contact, now));
  for (const at of instants) {
    const then = new Date(at);
    if (timed.some((t, i) => t.alone(contact, then) !== before[i])) return then;
  }
  return null;
}
