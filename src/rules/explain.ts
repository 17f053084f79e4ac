/**
 * Why is (or isn't) a contact in a segment? A JSON-able tree of the rule with each condition's
 * verdict next to the contact's actual value, for admins in chat and the REST API.
 */
import type { Condition, Group, Rule, RuleContact, RuleContext, Value } from './ast';
import { lookupField } from './catalogue';
import { formatRule } from './format';
import { nextFlip } from './nextflip';
import { compilePredicate, fieldValue } from './predicate';
import { isDate, relativeMs, subPath } from './semantics';

/** A JSON value: what `actual` becomes once Dates are ISO strings and missing is null. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface ConditionExplanation {
  kind: 'condition';
  /** Where the condition sits in the rule: `children[1].children[0]`, '' for the root. */
  path: string;
  /** The condition alone in the canonical text form. */
  text: string;
  field: string;
  operator: Condition['operator'];
  value?: Value;
  not: boolean;
  /** The contact's value at that field (null when missing; `segment` lists segment ids). */
  actual: Json;
  /** True when the field is absent from the contact (as opposed to present and null). */
  missing: boolean;
  result: boolean;
}

export interface GroupExplanation {
  kind: 'group';
  path: string;
  op: Group['op'];
  not: boolean;
  result: boolean;
  children: Explanation[];
}

export type Explanation = ConditionExplanation | GroupExplanation;

export interface RuleExplanation {
  result: boolean;
  /** ISO instant at which the result changes by itself as time passes, or null. */
  nextFlip: string | null;
  tree: Explanation;
}

function toJson(v: unknown): Json {
  if (v === undefined || v === null) return null;
  if (isDate(v)) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  // -0 has no JSON form; Infinity and NaN have none either, so they are spelled out.
  if (typeof v === 'number') return Number.isFinite(v) ? v + 0 : String(v);
  if (typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
  }
  return typeof v === 'bigint' || typeof v === 'symbol' ? v.toString() : null;
}

/** How many kept occurrences (of the intent, if any) lie in the condition's window at `now`. */
function countInWindow(stored: unknown, value: Value | undefined, now: Date): number {
  if (!Array.isArray(stored) || typeof value !== 'object' || Array.isArray(value) || !('count' in value))
    return 0;
  const since = now.getTime() - relativeMs(value.last);
  let n = 0;
  for (const e of stored as unknown[]) {
    const x = (typeof e === 'object' && e !== null ? e : {}) as { i?: unknown; at?: unknown };
    if (value.intent !== undefined && x.i !== value.intent) continue;
    if (isDate(x.at) && x.at.getTime() >= since) n++;
  }
  return n;
}

function explainNode(
  rule: Rule,
  contact: RuleContact,
  now: Date,
  ctx: RuleContext | undefined,
  path: string,
): Explanation {
  if (rule.kind === 'group') {
    const children = rule.children.map((c, i) => explainNode(c, contact, now, ctx, subPath(path, i)));
    const any = children.some((c) => c.result);
    const all = children.every((c) => c.result);
    const value = rule.op === 'and' ? all : any;
    const not = rule.not === true;
    return { kind: 'group', path, op: rule.op, not, result: not ? !value : value, children };
  }
  const info = lookupField(rule.field);
  const at = info?.path ?? rule.field;
  const stored = fieldValue(contact, at);
  // A windowed count shows the count in its window (of the occurrences kept), not the storage.
  const windowed = info?.type === 'activity' || info?.type === 'intent';
  const raw = windowed && stored !== undefined ? countInWindow(stored, rule.value, now) : stored;
  const out: ConditionExplanation = {
    kind: 'condition',
    path,
    text: formatRule(rule),
    field: rule.field,
    operator: rule.operator,
    not: rule.not === true,
    actual: toJson(raw),
    missing: raw === undefined,
    // Compiled on its own, so each verdict is exactly what the predicate decides for it.
    result: compilePredicate(rule, ctx)(contact, now),
  };
  if (rule.value !== undefined) out.value = rule.value;
  return out;
}

/**
 * Explains a rule's verdict on a contact at `now`. Throws RuleValidationError like
 * compilePredicate for an invalid rule or an unknown segment.
 */
export function explainRule(rule: Rule, contact: RuleContact, now: Date, ctx?: RuleContext): RuleExplanation {
  const tree = explainNode(rule, contact, now, ctx, '');
  const flip = nextFlip(rule, contact, now, ctx);
  return { result: tree.result, nextFlip: flip ? flip.toISOString() : null, tree };
}
