/**
 * Checks and normalises one condition value against the shape its operator takes. Shared by
 * validateRule and parseRule; the result is a fresh value, so nothing of the input leaks through.
 */
import { RULE_LIMITS, type Operator, type RelativeTime, type Value } from './ast';
import { windowCount } from './windowValue';
import {
  VALUE_EXPECTED,
  describeFound,
  isIsoDay,
  isIsoInstant,
  type ValueCheck,
  type ValueKind,
  type ValueProblem,
} from './checks';

/** True for `{...}` from JSON.parse or a literal; false for arrays, class instances, null. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** `.key` when the key reads as an identifier, else `["key"]`, so paths stay unambiguous. */
export function keyPath(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

type Out = ValueProblem[];

/** Records a problem; returns undefined so a checker can `return bad(...)`. */
function bad(out: Out, sub: string, message: string): undefined {
  out.push({ sub, message });
  return undefined;
}

function str(v: unknown, sub: string, out: Out, nonEmpty = false): string | undefined {
  if (typeof v !== 'string') return bad(out, sub, `expected a string, found ${describeFound(v)}`);
  if (v.length > RULE_LIMITS.maxStringLength) {
    return bad(out, sub, `string too long: at most ${RULE_LIMITS.maxStringLength} characters`);
  }
  if (nonEmpty && v.length === 0) return bad(out, sub, 'expected a non-empty string');
  return v;
}

function num(v: unknown, sub: string, out: Out): number | undefined {
  if (typeof v !== 'number') return bad(out, sub, `expected a number, found ${describeFound(v)}`);
  if (!Number.isFinite(v)) return bad(out, sub, 'expected a finite number');
  return v === 0 ? 0 : v; // -0 has no JSON or text form: normalise it
}

function date(v: unknown, sub: string, out: Out, instant: boolean): string | undefined {
  const what = instant ? VALUE_EXPECTED.instant : VALUE_EXPECTED.day;
  if (typeof v !== 'string') return bad(out, sub, `expected ${what}, found ${describeFound(v)}`);
  if (isIsoDay(v) || (instant && isIsoInstant(v))) return v;
  const shown = JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  const why = !instant && isIsoInstant(v) ? '"on" takes a whole day' : 'not a real date and time';
  return bad(out, sub, `expected ${what}, found ${shown} (${why})`);
}

function relative(v: unknown, out: Out): RelativeTime | undefined {
  if (!isPlainObject(v)) {
    return bad(out, '', `expected {amount, unit}, found ${describeFound(v)}`);
  }
  const before = out.length;
  for (const k of Object.keys(v)) {
    if (k !== 'amount' && k !== 'unit') out.push({ sub: keyPath(k), message: 'unknown key' });
  }
  const amount = Object.hasOwn(v, 'amount') ? v.amount : undefined;
  const unit = Object.hasOwn(v, 'unit') ? v.unit : undefined;
  if (
    typeof amount !== 'number' ||
    !Number.isInteger(amount) ||
    amount < 1 ||
    amount > RULE_LIMITS.maxRelativeAmount
  ) {
    const found = typeof amount === 'number' ? String(amount) : describeFound(amount);
    const max = RULE_LIMITS.maxRelativeAmount;
    out.push({ sub: '.amount', message: `expected a whole number from 1 to ${max}, found ${found}` });
  }
  if (unit !== 'days' && unit !== 'hours' && unit !== 'minutes') {
    const found = typeof unit === 'string' ? JSON.stringify(unit) : describeFound(unit);
    out.push({ sub: '.unit', message: `expected "days", "hours" or "minutes", found ${found}` });
  }
  return out.length === before ? { amount: amount as number, unit: unit as RelativeTime['unit'] } : undefined;
}

function list(v: unknown, kind: ValueKind, out: Out): string[] | number[] | undefined {
  if (!Array.isArray(v)) {
    return bad(out, '', `expected ${VALUE_EXPECTED[kind]}, found ${describeFound(v)}`);
  }
  if (v.length === 0) return bad(out, '', 'expected at least one value in the list');
  if (v.length > RULE_LIMITS.maxListValues) {
    const message = `too many values: at most ${RULE_LIMITS.maxListValues}, found ${v.length}`;
    return bad(out, '', message);
  }
  const before = out.length;
  // In a mixed list the first string or number decides, so the report points at the odd ones out.
  const first = kind === 'list' ? v.find((x) => typeof x === 'string' || typeof x === 'number') : undefined;
  const numbers = kind === 'numberList' || typeof first === 'number';
  const items: unknown[] = [];
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    const sub = `[${i}]`;
    if (kind !== 'list') items.push(numbers ? num(x, sub, out) : str(x, sub, out));
    else if (typeof x !== 'string' && typeof x !== 'number') {
      out.push({ sub, message: `expected a string or a number, found ${describeFound(x)}` });
    } else if (typeof x !== typeof first) {
      const message = `expected all strings or all numbers, found ${describeFound(x)} in a list of ${typeof first}s`;
      out.push({ sub, message });
    } else items.push(numbers ? num(x, sub, out) : str(x, sub, out));
  }
  return out.length === before ? (items as string[] | number[]) : undefined;
}

/**
 * Checks `value` against `kind`; `undefined` means the condition has no `value` key. `operator`
 * matters only to windowed counts (which counts an operator can test).
 */
export function checkValue(kind: ValueKind, value: unknown, operator?: Operator): ValueCheck {
  const problems: ValueProblem[] = [];
  if (kind === 'none') {
    if (value !== undefined) problems.push({ sub: '', message: 'this operator takes no value' });
    return { problems };
  }
  let out: Value | undefined;
  if (kind === 'string') out = str(value, '', problems);
  else if (kind === 'name') out = str(value, '', problems, true);
  else if (kind === 'number') out = num(value, '', problems);
  else if (kind === 'scalar') {
    if (typeof value === 'number') out = num(value, '', problems);
    else if (typeof value === 'string') out = str(value, '', problems);
    else problems.push({ sub: '', message: `expected a string or a number, found ${describeFound(value)}` });
  } else if (kind === 'pair') out = pair(value, problems);
  else if (kind === 'instant' || kind === 'day') out = date(value, '', problems, kind === 'instant');
  else if (kind === 'relative') out = relative(value, problems);
  else if (kind === 'windowCount' || kind === 'intentCount')
    out = windowCount(value, kind === 'intentCount', operator, problems, relative);
  else out = list(value, kind, problems);
  return problems.length > 0 || out === undefined ? { problems } : { value: out, problems };
}

function pair(v: unknown, out: Out): [number, number] | undefined {
  if (!Array.isArray(v) || v.length !== 2) {
    const found = Array.isArray(v) ? `a list of ${v.length}` : describeFound(v);
    return bad(out, '', `expected [low, high], two numbers, found ${found}`);
  }
  const low = num(v[0], '[0]', out);
  const high = num(v[1], '[1]', out);
  if (low === undefined || high === undefined) return undefined;
  if (low > high) return bad(out, '[1]', `expected high >= low (${low}), found ${high}`);
  return [low, high];
}
