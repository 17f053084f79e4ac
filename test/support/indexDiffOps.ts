/**
 * The operations of the secondary-index differential test: each one runs against a collection
 * with secondary indexes and against a reference without them, and the two answers (a result, or
 * an error's code and message) must be identical, in order. The reference wraps every filter in a
 * one-branch `$or`, which the launcher's planner never serves from an index, so even its `_id`
 * lookups are scans. Upserts are not wrapped: an upsert copies its filter's equalities into the
 * new document.
 */
import { BSON, type Collection, type Document } from 'mongodb';

const { EJSON } = BSON;
import type { Rng } from './rng';
import { newDocument, newId, SEGMENT_IDS } from './indexDiffGen';
import { filterGen, updateGen, type Seen } from './indexDiffQueries';

export interface Pair {
  indexed: Collection;
  reference: Collection;
}

type Run = (c: Collection, wrap: (f: Document) => Document) => Promise<unknown>;
export interface Op {
  name: string;
  args: unknown;
  run: Run;
}

const SORTS: Document[] = [
  { n: 1 },
  { at: -1, _id: 1 },
  { 'segments.enteredAt': 1 },
  { tags: -1 },
  { score: 1, n: -1 },
];
const PROJECTIONS: Document[] = [
  { _id: 0, tags: 1, n: 1 },
  { segments: 0, profile: 0 },
  { 'profile.city': 1, at: 1 },
];

/** Where the generator keeps `_id`s and codes so that later operations can find them. */
export class OpGen {
  readonly seen: Seen = { ids: [], codes: [] };
  private k = 0;
  private readonly filter: (r: Rng) => Document;
  constructor(private readonly r: Rng) {
    this.filter = filterGen(this.seen);
  }

  docs(n: number): Document[] {
    return Array.from({ length: n }, () => {
      const id = this.id();
      const code = this.r.chance(0.4) ? `c${this.k}` : undefined;
      if (code) this.seen.codes.push(code);
      return newDocument(this.r, id, code);
    });
  }

  private id(): unknown {
    const id = newId(this.r, ++this.k);
    this.seen.ids.push(id);
    return id;
  }

  next(): Op {
    const r = this.r;
    const f = this.filter(r);
    const sort = r.pick(SORTS);
    const p = r.int(100);
    const op = (name: string, args: unknown, run: Run): Op => ({ name, args, run });
    if (p < 6) {
      const doc = this.docs(1)[0]!;
      return op('insertOne', doc, (c) => c.insertOne({ ...doc }).then((x) => x.insertedId));
    }
    if (p < 8) {
      const docs = this.docs(1 + r.int(5));
      return op('insertMany', docs, (c) =>
        c.insertMany(docs.map((d) => ({ ...d }))).then((x) => x.insertedCount),
      );
    }
    if (p < 22) return op('find', f, (c, w) => c.find(w(f)).toArray());
    if (p < 36) {
      const o = { sort, skip: r.pick([0, 0, 1, 3]), limit: r.pick([0, 1, 5, 20]) };
      const opts = r.chance(0.4) ? { ...o, projection: r.pick(PROJECTIONS) } : o;
      return op('find+options', [f, opts], (c, w) => c.find(w(f), opts).toArray());
    }
    if (p < 41) return op('findOne', f, (c, w) => c.findOne(w(f)));
    const u = updateGen(r);
    if (p < 48) {
      const opts = { sort, returnDocument: r.pick(['before', 'after'] as const) };
      return op('findOneAndUpdate', [f, u, opts], (c, w) => c.findOneAndUpdate(w(f), u, opts));
    }
    if (p < 50) return op('findOneAndDelete', [f, sort], (c, w) => c.findOneAndDelete(w(f), { sort }));
    if (p < 58) return op('updateOne', [f, u], (c, w) => c.updateOne(w(f), u).then(counts));
    if (p < 64) return op('updateMany', [f, u], (c, w) => c.updateMany(w(f), u).then(counts));
    if (p < 69) return this.upsert(u);
    // Deletes also need a segment and a flag, so that the collection never empties out.
    const d = { $and: [f, { 'segments.segmentId': r.pick(SEGMENT_IDS) }, { flag: r.chance(0.5) }] };
    if (p < 71) return op('deleteOne', d, (c, w) => c.deleteOne(w(d)).then((x) => x.deletedCount));
    if (p < 72) return op('deleteMany', d, (c, w) => c.deleteMany(w(d)).then((x) => x.deletedCount));
    if (p < 81) {
      const o = r.chance(0.3) ? { skip: r.int(3), limit: 1 + r.int(10) } : {};
      return op('countDocuments', [f, o], (c, w) => c.countDocuments(w(f), o));
    }
    if (p < 87) {
      // Not through arrays of sub-documents: mongo-java-server's distinct then returns a "missing"
      // value it cannot encode and closes the connection (with or without indexes).
      const key = r.pick(['status', 'tags', 'n', 'at']);
      return op('distinct', [key, f], (c, w) => c.distinct(key, w(f)));
    }
    const rest = r.pick(PIPELINES);
    return op('aggregate', [f, rest], (c, w) => c.aggregate([{ $match: w(f) }, ...rest]).toArray());
  }

  /** An upsert (updateOne or findOneAndUpdate) whose insert gets a known `_id` through `$setOnInsert`. */
  private upsert(u: Document): Op {
    const r = this.r;
    const f: Document = { workspaceId: r.pick(['w1', 'w2']), email: `${r.pick(['a', 'b', 'x'])}@x` };
    if (r.chance(0.4)) f.status = r.pick(['active', 'blocked']);
    const onInsert: Document = { _id: this.id(), tags: ['new'] };
    if (!JSON.stringify(u).includes('"code"')) onInsert.code = `c${this.k}`;
    if (onInsert.code) this.seen.codes.push(onInsert.code as string);
    delete (u.$set as Document | undefined)?.tags;
    delete (u.$unset as Document | undefined)?.tags;
    for (const key of ['$push', '$pull', '$addToSet']) delete (u[key] as Document | undefined)?.tags;
    const update = { ...u, $setOnInsert: onInsert };
    if (r.chance(0.5))
      return {
        name: 'upsert',
        args: [f, update],
        run: (c) => c.updateOne(f, update, { upsert: true }).then(counts),
      };
    const opts = { upsert: true, returnDocument: r.pick(['before', 'after'] as const) };
    return {
      name: 'upsert findOneAndUpdate',
      args: [f, update, opts],
      run: (c) => c.findOneAndUpdate(f, update, opts),
    };
  }
}

const PIPELINES: Document[][] = [
  [{ $group: { _id: '$status', c: { $sum: 1 }, m: { $max: '$score' } } }, { $sort: { _id: 1 } }],
  [{ $sort: { score: -1, _id: 1 } }, { $limit: 5 }, { $project: { score: 1, tags: 1 } }],
  [
    { $unwind: '$segments' },
    { $group: { _id: '$segments.segmentId', c: { $sum: 1 } } },
    { $sort: { _id: 1 } },
  ],
  [{ $project: { n: 1, flag: 1 } }],
  [{ $group: { _id: null, n: { $sum: 1 } } }],
];

function counts(x: {
  matchedCount: number;
  modifiedCount: number;
  upsertedCount: number;
  upsertedId: unknown;
}) {
  return [x.matchedCount, x.modifiedCount, x.upsertedCount, x.upsertedId];
}

/**
 * The answer as BSON bytes (which keep every value's type and order; much cheaper to compare than
 * Extended JSON text), or the error's code and message.
 */
export async function outcome(run: () => Promise<unknown>, names: string[]): Promise<Buffer | string> {
  try {
    return Buffer.from(BSON.serialize({ v: await run() }));
  } catch (err) {
    const e = err as { code?: unknown; message?: string };
    let msg = `ERROR ${String(e.code)} ${e.message ?? String(err)}`;
    for (const n of names) msg = msg.split(n).join('<collection>');
    return msg;
  }
}

const same = (a: Buffer | string, b: Buffer | string) =>
  typeof a === 'string' || typeof b === 'string' ? a === b : a.equals(b);

/** Readable Extended JSON (types kept) for failure messages. */
export function show(x: unknown): string {
  const v = Buffer.isBuffer(x) ? BSON.deserialize(x).v : x;
  return EJSON.stringify(v, { relaxed: false }).slice(0, 3000);
}

/** Runs one operation on both collections; throws with the operation and both answers when they differ. */
export async function runBoth(pair: Pair, op: Op, step: number): Promise<void> {
  const names = [pair.indexed.collectionName, pair.reference.collectionName];
  // The collections are independent, so both sides may run at once.
  const [a, b] = await Promise.all([
    outcome(() => op.run(pair.indexed, (f) => f), names),
    outcome(() => op.run(pair.reference, (f) => ({ $or: [f] })), names),
  ]);
  if (!same(a, b)) {
    throw new Error(
      `step ${step}: ${op.name} ${show(op.args)}\n  with indexes: ${show(a)}\n  reference:    ${show(b)}`,
    );
  }
}

/** Both collections hold the same documents in the same (natural) order. */
export async function expectSameDocuments(pair: Pair): Promise<number> {
  const names = [pair.indexed.collectionName, pair.reference.collectionName];
  const [a, b] = await Promise.all(
    [pair.indexed, pair.reference].map((c) => outcome(() => c.find({}).toArray(), names)),
  );
  if (!same(a!, b!))
    throw new Error(`final documents differ:\n  with indexes: ${show(a)}\n  reference:    ${show(b)}`);
  return Buffer.isBuffer(a) ? (BSON.deserialize(a).v as unknown[]).length : -1;
}
