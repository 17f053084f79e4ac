/**
 * Seeded random rules whose literals are drawn from the same pools as randomContacts.ts, so that
 * comparisons hit contact values exactly, on boundaries and differing only in case.
 */
import type { Condition, Operator, Rule, RuleContact, Value } from '../../src/rules/ast';
import { OPERATORS_BY_TYPE, STANDARD_FIELDS } from '../../src/rules/catalogue';
import {
  CUSTOM_KEYS,
  DAYS,
  INSTANTS,
  NUMBER_POOL,
  RELATIVE,
  type Rng,
  SEGMENTS,
  TAG_POOL,
  INTENT_POOL,
  randomNumber,
  randomRanked,
  randomText,
} from './randomContacts';

const FIELDS = [
  ...STANDARD_FIELDS.map((f) => ({ name: f.name, type: f.type })),
  ...CUSTOM_KEYS.map((k) => ({ name: `custom.${k}`, type: 'custom' as const })),
];

const SEGMENT_NAMES = Object.keys(SEGMENTS);

function textLiteral(r: Rng, field: string): string {
  const t = randomText(r);
  // Literals on stored-lower-case fields sometimes arrive in upper case: they are lower-cased.
  return field.startsWith('email') && r.chance(0.3) ? t.toUpperCase() : t;
}

function numberList(r: Rng): number[] {
  return r.some(NUMBER_POOL, 4);
}

/** A windowed count the operator can test (see windowValue.ranksFor): small, so ranks hit. */
function windowValue(r: Rng, type: string, op: Operator): Value {
  const count = op === '>=' || op === '<' ? 1 + r.int(4) : r.int(4);
  const last = { ...r.pick(RELATIVE) };
  return type === 'intent' ? { intent: r.pick(INTENT_POOL), count, last } : { count, last };
}

function valueFor(r: Rng, field: string, type: string, op: Operator): Value | undefined {
  if (type === 'activity' || type === 'intent') return windowValue(r, type, op);
  const numeric = type === 'number' || (type === 'custom' && r.chance(0.4));
  switch (op) {
    case '=':
    case '!=':
      return numeric ? randomNumber(r) : textLiteral(r, field);
    case 'contains':
    case 'not contains':
    case 'starts with':
    case 'ends with':
    case 'has':
      return type === 'tags' ? r.pick(TAG_POOL) : textLiteral(r, field);
    case 'in':
    case 'not in':
      return numeric ? numberList(r) : Array.from({ length: 1 + r.int(4) }, () => textLiteral(r, field));
    case '>':
    case '>=':
    case '<':
    case '<=':
      return randomNumber(r);
    case 'between': {
      const a = randomNumber(r);
      const b = randomNumber(r);
      return [Math.min(a, b), Math.max(a, b)];
    }
    case 'before':
    case 'after':
      return r.chance(0.6) ? r.pick(DAYS) : r.pick(INSTANTS);
    case 'on':
      return r.pick(DAYS);
    case 'within last':
    case 'more than ago':
      return { ...r.pick(RELATIVE) };
    case 'has any of':
    case 'has all of':
    case 'has none of':
      return r.some(TAG_POOL, 3);
    case 'in segment':
      return r.chance(0.9) ? r.pick(SEGMENT_NAMES) : 'VIP Customers';
    default:
      return undefined;
  }
}

/** One random condition on any catalogue field (custom fields too), with a fitting literal. */
export function randomCondition(r: Rng): Condition {
  const f = r.pick(FIELDS);
  const operator = r.pick(OPERATORS_BY_TYPE[f.type]);
  const c: Condition = { kind: 'condition', field: f.name, operator };
  const value = valueFor(r, f.name, f.type, operator);
  if (value !== undefined) c.value = value;
  if (r.chance(0.2)) c.not = true;
  return c;
}

/** A random rule tree: up to `depth` levels, 1..4 children per group, 20% negated. */
export function randomRule(r: Rng, depth = 3): Rule {
  if (depth <= 1 || r.chance(0.35)) return randomCondition(r);
  const children = Array.from({ length: 1 + r.int(4) }, () => randomRule(r, depth - 1));
  const g: Rule = { kind: 'group', op: r.chance(0.5) ? 'and' : 'or', children };
  if (r.chance(0.2)) g.not = true;
  return g;
}

const H = 3_600_000;
const D = 86_400_000;

function nearText(r: Rng, t: string): string {
  const swap = [...t].map((ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase())).join('');
  return r.pick([t, t.toUpperCase(), t.toLowerCase(), swap, `x${t}`, `${t}x`, `${t}\n`, t.slice(1)]);
}

function nearValue(r: Rng, c: Condition, nowMs: number): unknown {
  const v = c.value;
  if (typeof v === 'number') return v + r.pick([0, 0, -1, 1, 0.5, -0.5]);
  if (Array.isArray(v)) {
    const list: readonly unknown[] = v;
    const x = r.pick(list);
    return typeof x === 'number' ? x + r.pick([0, 0, 1]) : nearText(r, String(x));
  }
  if (typeof v === 'object' && 'unit' in v) {
    const w = v.amount * (v.unit === 'days' ? D : v.unit === 'hours' ? H : 60_000);
    return new Date(nowMs + r.pick([-w - 1, -w, -w + 1, 0, 1, -1, D]));
  }
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v)) {
    const start = Date.parse(v);
    const end = start + (v.length === 10 ? D : 1);
    const t = r.pick([start - 1, start, start + 1, end - 1, end, end + 1]);
    return r.chance(0.9) ? new Date(t) : new Date(t).toISOString();
  }
  return typeof v === 'string' ? nearText(r, v) : r.chance(0.5);
}

function conditions(rule: Rule): Condition[] {
  return rule.kind === 'condition' ? [rule] : rule.children.flatMap(conditions);
}

/**
 * A contact whose fields sit on or next to the boundaries of `rule`'s own literals at `now`
 * (exact window edges, day edges ±1 ms, numbers ±1, text in other cases), layered over `base`.
 */
export function contactFor(r: Rng, rule: Rule, now: Date, base: RuleContact): RuleContact {
  const c: RuleContact = structuredClone(base);
  for (const cond of conditions(rule)) {
    if (r.chance(0.3)) continue;
    const value = nearValue(r, cond, now.getTime());
    if (cond.field === 'conversations' || cond.field === 'intents') {
      const v = cond.value as { last: { amount: number; unit: string }; count: number };
      const w = v.last.amount * (v.last.unit === 'days' ? D : v.last.unit === 'hours' ? H : 60_000);
      // Occurrences on and next to the window's edge, at the ranks the count tests.
      const edge = () => new Date(now.getTime() + r.pick([-w - 1, -w, -w + 1, 0, -2 * w, 1]));
      const path = cond.field === 'conversations' ? 'recentConversations' : 'recentIntents';
      c[path] = randomRanked(r, cond.field === 'intents', edge);
    } else if (cond.field === 'tags') c.tags = [String(value), ...(r.chance(0.5) ? ['other'] : [])];
    else if (cond.field === 'segment') continue;
    else if (cond.field.startsWith('custom.')) {
      const custom = { ...(c.custom ?? {}) } as Record<string, unknown>;
      custom[cond.field.slice('custom.'.length)] = value;
      c.custom = custom as RuleContact['custom'];
    } else c[cond.field] = value;
  }
  return c;
}
