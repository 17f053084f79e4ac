/**
 * Lowers one condition to a small set of primitive checks that every target knows how to run
 * (regex on strings, equality, membership, typed ranges, presence). The Mongo compiler and the
 * predicate compiler both start from here, so a condition's meaning is decided in one place.
 */
import type { Condition, RelativeTime, Rule, RuleContext, WindowCount } from './ast';
import { lookupField, OPERATORS_BY_TYPE } from './catalogue';
import { RuleValidationError } from './errors';
import { valueKind } from './checks';
import { dateSpan, relativeMs, resolveSegmentId, subPath, textPattern } from './semantics';
import { checkValue } from './values';
import { windowCheck } from './windowValue';
import type { Bound, Check } from './checkTypes';

export type { Bound, Check, RecentCheck } from './checkTypes';

/** A lowered condition: the check of its positive form, and whether the condition negates it. */
export interface Lowered {
  check: Check;
  negate: boolean;
}

/** Operators that are the boolean negation of another one, and that other one. */
const NEGATED: Partial<Record<Condition['operator'], Condition['operator']>> = {
  '!=': '=',
  'not contains': 'contains',
  'not in': 'in',
  'not exists': 'exists',
  'has none of': 'has any of',
};

const isStrings = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string');
const isNumbers = (v: unknown): v is number[] =>
  Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isRelative = (v: unknown): v is RelativeTime =>
  typeof v === 'object' &&
  v !== null &&
  Number.isInteger((v as RelativeTime).amount) &&
  (v as RelativeTime).amount > 0 &&
  ['days', 'hours', 'minutes'].includes((v as RelativeTime).unit);

const bound = (ms: number, inclusive: boolean, relative = false): Bound => ({
  ms,
  relative,
  inclusive,
});

/**
 * Lowers a condition. `path` locates it in the rule for error messages. Throws
 * RuleValidationError for an unknown field, an operator the field's type does not allow, a value
 * of the wrong shape, or an unknown segment.
 */
export function lowerCondition(c: Condition, ctx: RuleContext | undefined, path: string): Lowered {
  const fail = (message: string, sub = 'value'): never => {
    throw new RuleValidationError([{ path: subPath(path, sub), message }]);
  };
  const field = lookupField(c.field) ?? fail(`unknown field "${c.field}"`, 'field');
  if (!OPERATORS_BY_TYPE[field.type].includes(c.operator)) {
    fail(`operator "${c.operator}" does not apply to ${field.type} field "${c.field}"`, 'operator');
  }
  const positive = NEGATED[c.operator] ?? c.operator;
  const negate = (c.not === true) !== (positive !== c.operator);
  const at = field.path;
  const v = c.value;
  const text = (): string => (typeof v === 'string' ? v : fail('expected a string value'));
  const num = (): number => (isNumber(v) ? v : fail('expected a number value'));
  const span = () => dateSpan(typeof v === 'string' ? v : '') ?? fail('expected a date literal');
  const ago = (): number => (isRelative(v) ? relativeMs(v) : fail('expected a relative time'));
  const regex = (...sources: string[]): Check => ({ kind: 'regex', path: at, sources });
  // Text compares case-insensitively on every field, email and emailDomain included: the contact
  // model lower-cases those, but data written by an older version or another tool may not be, and
  // both targets must answer the same on it (a flag-free caseless regex means the same to both).
  const anyOf = (values: string[]): Check => regex(...values.map((x) => textPattern('equals', x, false)));
  const check = ((): Check => {
    if (field.type === 'activity' || field.type === 'intent') {
      const checked = checkValue(valueKind(field.type, c.operator), v, c.operator);
      const w = checked.value as WindowCount | undefined;
      if (!w) return fail(checked.problems[0]?.message ?? 'expected a windowed count');
      return windowCheck(at, c.operator, w);
    }
    switch (positive) {
      case '=':
        if (isNumber(v)) return { kind: 'eq', path: at, value: v };
        return regex(textPattern('equals', text(), false));
      case 'contains':
      case 'starts with':
      case 'ends with':
        return regex(textPattern(positive, text(), false));
      case 'in':
        if (isNumbers(v)) return { kind: 'in', path: at, values: v };
        if (!isStrings(v)) return fail('expected a non-empty list of strings or of numbers');
        return anyOf(v);
      case '>':
        return { kind: 'range', path: at, type: 'number', min: bound(num(), false) };
      case '>=':
        return { kind: 'range', path: at, type: 'number', min: bound(num(), true) };
      case '<':
        return { kind: 'range', path: at, type: 'number', max: bound(num(), false) };
      case '<=':
        return { kind: 'range', path: at, type: 'number', max: bound(num(), true) };
      case 'between': {
        const ok = Array.isArray(v) && v.length === 2 && isNumbers(v) && v[0] <= v[1];
        if (!ok) return fail('expected [low, high] numbers with low <= high');
        const [lo, hi] = v as [number, number];
        return { kind: 'range', path: at, type: 'number', min: bound(lo, true), max: bound(hi, true) };
      }
      case 'before':
        return { kind: 'range', path: at, type: 'date', max: bound(span().start, false) };
      case 'after':
        return { kind: 'range', path: at, type: 'date', min: bound(span().end, true) };
      case 'on': {
        const s = span();
        return { kind: 'range', path: at, type: 'date', min: bound(s.start, true), max: bound(s.end, false) };
      }
      case 'within last':
        return {
          kind: 'range',
          path: at,
          type: 'date',
          min: bound(-ago(), true, true),
          max: bound(0, true, true),
        };
      case 'more than ago':
        return { kind: 'range', path: at, type: 'date', max: bound(-ago(), false, true) };
      case 'exists':
        return { kind: 'present', path: at };
      case 'is true':
      case 'is false':
        return { kind: 'eq', path: at, value: positive === 'is true' };
      case 'has':
        return regex(textPattern('equals', text(), false));
      case 'has any of':
        return isStrings(v) ? anyOf(v) : fail('expected a non-empty list of strings');
      case 'has all of':
        if (!isStrings(v)) return fail('expected a non-empty list of strings');
        return { kind: 'all', checks: v.map((s) => regex(textPattern('equals', s, false))) };
      case 'in segment':
        return { kind: 'eq', path: at, value: resolveSegmentId(text(), ctx, path) };
      default:
        return fail(`operator "${c.operator}" is not supported`, 'operator');
    }
  })();
  return { check, negate };
}

function checkUsesNow(check: Check): boolean {
  switch (check.kind) {
    case 'range':
      return Boolean(check.min?.relative || check.max?.relative);
    case 'recent':
      return true;
    case 'all':
      return check.checks.some(checkUsesNow);
    case 'not':
      return checkUsesNow(check.check);
    default:
      return false;
  }
}

/**
 * Whether time alone can change the rule's answer for an unchanged contact: a date relative to
 * now ("in the last 30 days") or a recent-activity window. Membership of another segment does
 * not count: that segment's own transitions re-evaluate the contact.
 */
export function dependsOnTime(rule: Rule, ctx?: RuleContext, path = ''): boolean {
  if (rule.kind === 'condition') return checkUsesNow(lowerCondition(rule, ctx, path).check);
  return rule.children.some((child, i) => dependsOnTime(child, ctx, subPath(path, i)));
}
