/**
 * Seeded random documents, filters and updates for the secondary-index differential test
 * (test/integration/db/secondaryIndexes.test.ts). Values come from small pools so equality, `$in`
 * and ranges actually hit documents; every field is sometimes missing, null, of another type, an
 * empty array or an array, because an index must give the same answers as a scan for all of them.
 */
import { Double, Int32, ObjectId, type Document } from 'mongodb';
import { Rng } from './rng';

export type Gen<T = unknown> = (rng: Rng) => T;

const day = (d: number) => new Date(Date.UTC(2026, 0, d));
export const STRINGS = ['a', 'b', 'c', 'ab', 'x', 'w1', 'w2', 's1', ''];
export const DATES = [day(1), day(2), day(3), day(5), day(8)];
export const OIDS = ['64b000000000000000000001', '64b000000000000000000002'].map((h) => new ObjectId(h));
/** Ints, doubles equal to ints (`Double(2)` is stored as 2.0), fractions, -0 and a negative. */
export const NUMBERS: Gen = (r) =>
  r.pick<Gen>([
    () => r.int(5),
    () => new Double(r.int(5)),
    () => new Int32(r.int(5)),
    () => r.pick([2.5, -1, 10, -0, 0.5]),
  ])(r);
const oneOf =
  (xs: readonly unknown[]): Gen =>
  (r) =>
    r.pick(xs);
export const SEGMENT_IDS = ['s1', 's2', 's3', 's4'];
const str = (r: Rng) => r.pick(STRINGS);
const date = oneOf(DATES);
const bool = oneOf([true, false]);
const oid = oneOf(OIDS);
const MISSING = Symbol('missing');

/** Any scalar, of any type: the "wrong type" a field sometimes holds or a query sometimes asks for. */
export const anyScalar: Gen = (r) => r.pick([str, date, bool, oid, NUMBERS])(r);

/**
 * Mostly `main`; sometimes missing, null, another type, an empty array or an array of values
 * (with `nested`, also arrays inside the array, such as [[]] or [['a']]).
 * `scalar` fields never hold arrays (as the project's number and date fields): an index on them
 * stays single-key, which is the only case where both sides of a range narrow the lookup.
 */
function shaped(main: Gen, scalar = false, nested = true): Gen {
  const element: Gen = (r) => {
    const p = r.next();
    if (p < 0.75 || (p >= 0.9 && !nested)) return main(r);
    return p < 0.9 ? anyScalar(r) : r.pick([[], [main(r)], [main(r), anyScalar(r)]]);
  };
  return (r) => {
    const p = r.next() * (scalar ? 0.8 : 1);
    if (p < 0.55) return main(r);
    if (p < 0.65) return MISSING;
    if (p < 0.72) return null;
    if (p < 0.8) return anyScalar(r);
    if (p < 0.86) return [];
    return Array.from({ length: 1 + r.int(3) }, () => element(r));
  };
}

const segment: Gen = (r) =>
  strip({
    segmentId: r.chance(0.9) ? r.pick(SEGMENT_IDS) : shaped(oneOf(SEGMENT_IDS))(r),
    enteredAt: r.chance(0.85) ? date(r) : MISSING,
    n: r.chance(0.7) ? NUMBERS(r) : MISSING,
  });

/** Values a field takes in documents and in `$set` (keyed by path). */
export const FIELD_VALUES: Record<string, Gen> = {
  status: shaped(oneOf(['active', 'inactive', 'blocked'])),
  n: shaped(NUMBERS),
  score: shaped(NUMBERS, true),
  at: shaped(date, true),
  tags: (r) => (r.chance(0.6) ? Array.from({ length: r.int(5) }, () => str(r)) : shaped(str)(r)),
  // No arrays inside `segments`: mongo-java-server's matcher finds {'segments.segmentId': 's1'} in
  // [[{segmentId: 's1'}]] (MongoDB does not), the index does not; the project never stores that.
  segments: (r) =>
    r.chance(0.65) ? Array.from({ length: r.int(4) }, () => segment(r)) : shaped(segment, false, false)(r),
  flag: shaped(bool),
  email: (r) => (r.chance(0.5) ? `${str(r)}@x` : MISSING),
  ref: shaped(oid),
  profile: (r) =>
    r.chance(0.7)
      ? strip({
          city: shaped(str)(r),
          age: shaped(NUMBERS)(r),
          list: r.chance(0.3) ? r.pick([[], [[]], ['a']]) : MISSING,
        })
      : shaped(str)(r),
  'profile.city': shaped(str),
};

/** Drops the keys whose value is MISSING. */
export function strip(d: Record<string, unknown>): Document {
  return Object.fromEntries(Object.entries(d).filter(([, v]) => v !== MISSING));
}

/** The generated value, or undefined for "leave the field out". */
export function valueFor(path: string, r: Rng): unknown {
  const v = FIELD_VALUES[path]!(r);
  return v === MISSING ? undefined : v;
}

/** Explicit `_id`s of mixed types (the H2 backend keeps documents in `_id` order). */
export function newId(r: Rng, k: number): unknown {
  const p = r.next();
  if (p < 0.7) return new ObjectId(Array.from({ length: 24 }, () => '0123456789abcdef'[r.int(16)]).join(''));
  return p < 0.9 ? `id${k}` : k;
}

/** A document with an explicit `_id`; `code` (unique where indexed) only when given. */
export function newDocument(r: Rng, id: unknown, code?: string): Document {
  const d: Record<string, unknown> = {
    _id: id,
    workspaceId: r.chance(0.95) ? r.pick(['w1', 'w2']) : MISSING,
    code: code ?? MISSING,
  };
  for (const f of Object.keys(FIELD_VALUES)) if (!f.includes('.')) d[f] = FIELD_VALUES[f]!(r);
  return strip(d);
}

export { MISSING, oneOf, str, date, bool, oid };
