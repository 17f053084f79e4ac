/**
 * The rule language as DESIGN §3.2 defines it, evaluated directly over a model contact: no
 * lowering, no compiled targets, no code shared with src/rules (only the AST's shape, which is
 * the API's input format). Text compares case-insensitively; a comparison on a missing or null
 * field is false; a negated operator and `not` are the boolean negation of the positive form;
 * relative dates are measured against `now`; `in segment` asks the model's own memberships.
 */
import type { Condition, RelativeTime, Rule } from '../../../src/rules/ast';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const relMs = (r: RelativeTime): number =>
  r.amount * (r.unit === 'days' ? DAY : r.unit === 'hours' ? HOUR : MINUTE);

export interface RuleScope {
  fields: Record<string, unknown>;
  tags: string[];
  now: number;
  /** Is the contact in the segment or list of that name (case-insensitive)? */
  inSegment(name: string): boolean;
}

export function holds(rule: Rule, s: RuleScope): boolean {
  if (rule.kind === 'group') {
    const values = rule.children.map((c) => holds(c, s));
    const v = rule.op === 'and' ? values.every(Boolean) : values.some(Boolean);
    return rule.not === true ? !v : v;
  }
  const v = condition(rule, s);
  return rule.not === true ? !v : v;
}

const lower = (x: string) => x.toLowerCase();
const isText = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number';
const isDate = (v: unknown): v is Date => v instanceof Date;

/** A `YYYY-MM-DD` literal is the whole UTC day [start, end); an instant literal is its one ms. */
function span(literal: string): [number, number] {
  const start = Date.parse(literal.length === 10 ? `${literal}T00:00:00.000Z` : literal);
  return [start, start + (literal.length === 10 ? DAY : 1)];
}

function condition(c: Condition, s: RuleScope): boolean {
  const v = c.field === 'tags' ? s.tags : s.fields[c.field];
  const lit = c.value;
  switch (c.operator) {
    case '=':
      return isNum(lit) ? v === lit : isText(v) && lower(v) === lower(lit as string);
    case '!=':
      return !condition({ ...c, operator: '=', not: false }, s);
    case '>':
      return isNum(v) && v > (lit as number);
    case '>=':
      return isNum(v) && v >= (lit as number);
    case '<':
      return isNum(v) && v < (lit as number);
    case '<=':
      return isNum(v) && v <= (lit as number);
    case 'between': {
      const [lo, hi] = lit as [number, number];
      return isNum(v) && v >= lo && v <= hi;
    }
    case 'contains':
      return isText(v) && lower(v).includes(lower(lit as string));
    case 'not contains':
      return !condition({ ...c, operator: 'contains', not: false }, s);
    case 'starts with':
      return isText(v) && lower(v).startsWith(lower(lit as string));
    case 'ends with':
      return isText(v) && lower(v).endsWith(lower(lit as string));
    case 'in': {
      const list = lit as (string | number)[];
      if (list.every(isNum)) return isNum(v) && list.includes(v);
      return isText(v) && list.some((x) => lower(String(x)) === lower(v));
    }
    case 'not in':
      return !condition({ ...c, operator: 'in', not: false }, s);
    case 'exists':
      return v !== undefined && v !== null;
    case 'not exists':
      return v === undefined || v === null;
    case 'before':
      return isDate(v) && v.getTime() < span(lit as string)[0];
    case 'after':
      return isDate(v) && v.getTime() >= span(lit as string)[1];
    case 'on': {
      const [a, b] = span(lit as string);
      return isDate(v) && v.getTime() >= a && v.getTime() < b;
    }
    case 'within last':
      return isDate(v) && v.getTime() >= s.now - relMs(lit as RelativeTime) && v.getTime() <= s.now;
    case 'more than ago':
      return isDate(v) && v.getTime() < s.now - relMs(lit as RelativeTime);
    case 'has':
      return s.tags.some((t) => lower(t) === lower(lit as string));
    case 'has any of':
      return (lit as string[]).some((x) => s.tags.some((t) => lower(t) === lower(x)));
    case 'has all of':
      return (lit as string[]).every((x) => s.tags.some((t) => lower(t) === lower(x)));
    case 'has none of':
      return !(lit as string[]).some((x) => s.tags.some((t) => lower(t) === lower(x)));
    case 'is true':
      return v === true;
    case 'is false':
      return v === false;
    case 'in segment':
      return s.inSegment(lit as string);
  }
}

/** Every relative window a rule uses, in ms (for the instants at which it may flip). */
export function windowsOf(rule: Rule): number[] {
  if (rule.kind === 'group') return rule.children.flatMap(windowsOf);
  const v = rule.value as RelativeTime | undefined;
  return rule.operator === 'within last' || rule.operator === 'more than ago' ? [relMs(v!)] : [];
}

/** Names of the segments a rule refers to. */
export function referencesOf(rule: Rule): string[] {
  if (rule.kind === 'group') return rule.children.flatMap(referencesOf);
  return rule.operator === 'in segment' ? [lower(rule.value as string)] : [];
}
