/**
 * The semantic checks on one condition's operator and value, shared by validateRule (which reports
 * problems by JSON path) and parseRule (which reports them at the offending token). Keeping one copy
 * is what makes "the text form accepts exactly the valid ASTs" true.
 */
import type { Operator, Value } from './ast';
import { OPERATORS_BY_TYPE, type FieldType } from './catalogue';

/** The value shape an operator takes on a field type. */
export type ValueKind =
  | 'none'
  | 'string'
  | 'number'
  | 'scalar'
  | 'pair'
  | 'stringList'
  | 'numberList'
  | 'list'
  | 'instant'
  | 'day'
  | 'relative'
  | 'name'
  | 'windowCount'
  | 'intentCount';

/** What each value kind looks like, for "expected ..." messages. */
export const VALUE_EXPECTED: Readonly<Record<ValueKind, string>> = {
  none: 'no value',
  string: 'a string in double quotes',
  number: 'a number',
  scalar: 'a string or a number',
  pair: 'two numbers, low and high',
  stringList: 'a list of strings',
  numberList: 'a list of numbers',
  list: 'a list of strings or of numbers',
  instant: 'a date such as 2026-01-15 or 2026-01-15T10:00:00Z',
  day: 'a date such as 2026-01-15',
  relative: 'a whole number of days, hours or minutes',
  name: 'a segment name in double quotes',
  windowCount: 'a count of conversations in a window, such as "in last 7 days >= 3"',
  intentCount: 'an intent and a count, such as "refund" at least 2 times in last 14 days',
};

/** True when the catalogue lets `op` be used on fields of `type`. */
export function isOperatorAllowed(type: FieldType, op: Operator): boolean {
  return OPERATORS_BY_TYPE[type].includes(op);
}

/** The value kind of an operator that is allowed on `type` (see isOperatorAllowed). */
export function valueKind(type: FieldType, op: Operator): ValueKind {
  if (type === 'activity') return 'windowCount';
  if (type === 'intent') return 'intentCount';
  switch (op) {
    case 'exists':
    case 'not exists':
    case 'is true':
    case 'is false':
      return 'none';
    case '=':
    case '!=':
      return type === 'number' ? 'number' : type === 'custom' ? 'scalar' : 'string';
    case '>':
    case '>=':
    case '<':
    case '<=':
      return 'number';
    case 'between':
      return 'pair';
    case 'in':
    case 'not in':
      return type === 'number' ? 'numberList' : type === 'custom' ? 'list' : 'stringList';
    case 'before':
    case 'after':
      return 'instant';
    case 'on':
      return 'day';
    case 'within last':
    case 'more than ago':
      return 'relative';
    case 'in segment':
      return 'name';
    case 'has any of':
    case 'has all of':
    case 'has none of':
      return 'stringList';
    default: // has, contains, not contains, starts with, ends with
      return 'string';
  }
}

/** One problem with a value; `sub` locates it inside the value: '', `[3]`, `.amount`. */
export interface ValueProblem {
  sub: string;
  message: string;
}

/** The checked value (absent when there are problems or the kind takes none) and its problems. */
export interface ValueCheck {
  value?: Value;
  problems: ValueProblem[];
}

/** Names the JSON type of an unexpected value. */
export function describeFound(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return typeof v === 'number' || typeof v === 'string' ? `a ${typeof v}` : `a ${typeof v} value`;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{3})?Z$/;

/** A real calendar day written `YYYY-MM-DD` (proleptic Gregorian, UTC). */
export function isIsoDay(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  return days !== undefined && d >= 1 && d <= days;
}

/** An instant written `YYYY-MM-DDTHH:mm:ss(.sss)Z` with a real day and time. */
export function isIsoInstant(s: string): boolean {
  const m = INSTANT.exec(s);
  return !!m && isIsoDay(m[1] ?? '') && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 60;
}
