/**
 * "Results are plain objects": what a repository returns must be data the domain can compare,
 * copy and serialise, never a driver's class (an ObjectId, a Decimal128, a Buffer, a Long). Dates
 * are the one class allowed, because the domain types use them.
 */

/** Paths inside `value` that hold something other than plain data; empty when it is all plain. */
export function nonPlainPaths(value: unknown, path = '$'): string[] {
  if (value === null || value === undefined) return [];
  const t = typeof value;
  if (t === 'string' || t === 'boolean') return [];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path}: ${value}`];
  if (t !== 'object') return [`${path}: ${t}`];
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? [`${path}: Invalid Date`] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonPlainPaths(v, `${path}[${i}]`));
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'unknown class';
    return [`${path}: ${name}`];
  }
  return Object.entries(value).flatMap(([k, v]) => nonPlainPaths(v, `${path}.${k}`));
}

/** Asserts a record is plain data with a string `_id`. */
export function expectPlainRecord(value: unknown): void {
  expect(nonPlainPaths(value)).toEqual([]);
  expect(typeof (value as { _id?: unknown } | null)?._id).toBe('string');
}
