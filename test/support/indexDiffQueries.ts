/**
 * Seeded random filters and updates for the secondary-index differential test, over the operators
 * the project uses: equality on every scalar type, null, `$in`/`$nin` (with null and regexes),
 * one- and two-sided ranges (on scalar and on array fields, crossing bounds included), `$ne`,
 * `$exists`, `$not`, `$regex`, `$all`, `$size`, `$elemMatch`, and `$and`/`$or`/`$nor` around them.
 */
import type { Document } from 'mongodb';
import type { Rng } from './rng';
import {
  anyScalar,
  date,
  FIELD_VALUES,
  NUMBERS,
  oid,
  oneOf,
  SEGMENT_IDS,
  str,
  valueFor,
  type Gen,
} from './indexDiffGen';

/** Values seen so far (`_id`s, codes, emails) so that queries on them find documents. */
export interface Seen {
  ids: unknown[];
  codes: string[];
}

function leafPools(seen: Seen): Record<string, Gen> {
  return {
    workspaceId: oneOf(['w1', 'w2', 'w1', 'x']),
    status: oneOf(['active', 'inactive', 'blocked']),
    n: NUMBERS,
    score: NUMBERS,
    at: date,
    tags: str,
    'segments.segmentId': oneOf(SEGMENT_IDS),
    'segments.enteredAt': date,
    'segments.n': NUMBERS,
    flag: oneOf([true, false]),
    email: (r) => `${str(r)}@x`,
    ref: oid,
    'profile.city': str,
    'profile.age': NUMBERS,
    code: (r) => (seen.codes.length && r.chance(0.9) ? r.pick(seen.codes) : 'c-none'),
    _id: (r) => (seen.ids.length && r.chance(0.9) ? r.pick(seen.ids) : 'id-none'),
  };
}

/** Paths weighted towards the indexed ones; `workspaceId` leads most filters, as in the project. */
const PATHS = [
  ...['status', 'n', 'score', 'at', 'tags', 'segments.segmentId', 'segments.enteredAt', 'flag'],
  ...['email', 'ref', 'profile.city', 'code', '_id', 'segments.n', 'profile.age', 'tags', 'n', 'at'],
];

export function filterGen(seen: Seen): (r: Rng, depth?: number) => Document {
  const pools = leafPools(seen);
  const val = (r: Rng, path: string) => (r.chance(0.8) ? pools[path]!(r) : anyScalar(r));
  const range = (r: Rng, path: string): Document => {
    const lo = r.pick(['$gt', '$gte']);
    const hi = r.pick(['$lt', '$lte']);
    const p = r.next();
    if (p < 0.35) return { [lo]: val(r, path) };
    if (p < 0.6) return { [hi]: val(r, path) };
    return { [lo]: val(r, path), [hi]: r.chance(0.85) ? pools[path]!(r) : anyScalar(r) };
  };
  const leafOps: Array<[number, (r: Rng, path: string) => unknown]> = [
    [24, (r, p) => val(r, p)],
    [4, (r, p) => ({ $eq: val(r, p) })],
    [4, () => null],
    [
      12,
      (r, p) => ({
        $in: r.some([0, 1, 2, 3], 4).map((i) => (i === 0 ? (r.chance(0.5) ? null : /^a/) : val(r, p))),
      }),
    ],
    [5, (r, p) => ({ $nin: r.some([0, 1, 2], 3).map((i) => (i === 0 ? null : val(r, p))) })],
    [22, range],
    [6, (r, p) => ({ $ne: r.chance(0.2) ? null : val(r, p) })],
    [5, (r) => ({ $exists: r.chance(0.5) })],
    [5, (r, p) => ({ $not: r.chance(0.5) ? range(r, p) : { $in: [val(r, p), null] } })],
    [3, (r) => ({ $regex: r.pick(['^a', 'b$', '^$', '1']) })],
    [3, (r, p) => ({ $all: r.some([0, 1], 2).map(() => val(r, p)) })],
    [3, (r) => ({ $size: r.int(3) })],
  ];
  const total = leafOps.reduce((s, [w]) => s + w, 0);
  const leaf = (r: Rng): [string, unknown] => {
    if (r.chance(0.07)) return elemMatch(r);
    const path = r.pick(PATHS);
    let x = r.int(total);
    for (const [w, op] of leafOps) {
      if ((x -= w) < 0) return [path, op(r, path)];
    }
    return [path, val(r, path)];
  };
  const elemMatch = (r: Rng): [string, unknown] => {
    if (r.chance(0.3)) return ['tags', { $elemMatch: range(r, 'tags') }];
    const sub: Document = {};
    if (r.chance(0.8))
      sub.segmentId = r.chance(0.8) ? pools['segments.segmentId']!(r) : { $in: ['s1', 's3'] };
    if (r.chance(0.5)) sub.enteredAt = range(r, 'segments.enteredAt');
    if (r.chance(0.3) || Object.keys(sub).length === 0) sub.n = range(r, 'segments.n');
    return ['segments', { $elemMatch: sub }];
  };
  const gen = (r: Rng, depth = 0): Document => {
    const f: Document = {};
    const and: Document[] = [];
    if (r.chance(0.6)) f.workspaceId = r.chance(0.9) ? r.pick(['w1', 'w2']) : { $in: ['w1', 'w2'] };
    for (let i = r.int(3) + (depth > 0 ? 1 : 0); i > 0; i--) {
      const [path, cond] = leaf(r);
      if (path in f) and.push({ [path]: cond });
      else f[path] = cond;
    }
    if (depth < 2 && r.chance(0.25)) {
      const op = r.pick(['$and', '$or', '$nor']);
      f[op] = Array.from({ length: 1 + r.int(2) }, () => gen(r, depth + 1));
    }
    if (and.length) f.$and = [...((f.$and as Document[] | undefined) ?? []), ...and];
    return f;
  };
  return gen;
}

/** An update document of 1–3 operators on distinct top-level fields. */
export function updateGen(r: Rng): Document {
  const used = new Set<string>();
  const u: Record<string, Document> = {};
  const put = (op: string, path: string, v: unknown) => {
    const root = path.split('.')[0]!;
    if (used.has(root) || v === undefined) return;
    used.add(root);
    (u[op] ??= {})[path] = v;
  };
  for (let i = 1 + r.int(3); i > 0; i--) {
    const kind = r.int(9);
    if (kind === 0 || kind === 1) {
      const path = r.pick(Object.keys(FIELD_VALUES));
      put('$set', path, valueFor(path, r) ?? null);
    } else if (kind === 2)
      put('$unset', r.pick(['status', 'n', 'at', 'tags', 'email', 'flag', 'profile', 'code']), '');
    else if (kind === 3) put('$inc', r.pick(['n', 'score', 'profile.age']), r.pick([1, -1, 2.5]));
    else if (kind === 4)
      put(r.pick(['$max', '$min']), r.pick(['score', 'at']), r.chance(0.5) ? NUMBERS(r) : date(r));
    else if (kind === 5) put('$push', 'tags', { $each: r.some(['a', 'b', 'x', 'c'], 3), $slice: -4 });
    else if (kind === 6)
      put('$push', 'segments', { segmentId: r.pick(SEGMENT_IDS), enteredAt: date(r), n: 1 });
    else if (kind === 7)
      put('$pull', r.pick(['tags', 'segments']), r.chance(0.5) ? { $in: ['a', 'b'] } : { segmentId: 's1' });
    else put('$addToSet', 'tags', r.chance(0.5) ? str(r) : { $each: [str(r), str(r)] });
  }
  if (Object.keys(u).length === 0) u.$set = { status: 'active' };
  return u;
}
