/**
 * Rebuilds after a definition change (create, rule edit, delete): the candidates are the contacts
 * whose membership the new rule may change (see `candidateFilter`), walked in `_id` batches and
 * evaluated in bulk through the engine's guarded writes (cause `definition`, batch.ts). Progress
 * (`afterId`, `visited` of `total`) is persisted per batch under a lease, so a process killed
 * mid-rebuild is resumed by any process and the API can show it (`status`); a newer request
 * for the same segment resets the token and restarts the walk.
 */
import { randomUUID } from 'node:crypto';
import type { Collection, Db, Filter } from 'mongodb';
import { compileMongo, compileMongoFuture, dependsOnTime } from '../../rules';
import type { Clock } from '../../domain/membership/transitions';
import type { SegmentRepo } from '../repos/segments';
import type { SegmentCatalog } from './catalog';
import { evaluateBatch } from './batch';
import type { MembershipEngine } from './engine';
import type { ContactDoc, MembershipCollections } from './store';

interface RebuildDoc {
  _id: string;
  workspaceId: string;
  segmentId: string;
  token: string;
  afterId: string | null;
  done: boolean;
  leaseUntil: Date | null;
  requestedAt: Date;
  /** Candidates visited so far, of `total` (counted when the walk starts). */
  visited?: number;
  total?: number | null;
  startedAt?: Date | null;
}

/** A segment's rebuild as the API and chat show it; `done`/`total` count candidate contacts. */
export interface RebuildStatus {
  state: 'idle' | 'pending' | 'running' | 'done';
  done: number;
  total: number | null;
  startedAt: Date | null;
  /** Estimated time left from the rate so far; null until one batch is done. */
  etaMs: number | null;
}

export const IDLE_REBUILD: RebuildStatus = { state: 'idle', done: 0, total: 0, startedAt: null, etaMs: 0 };

const LEASE_MS = 30_000;
/** Ids per `$in` read: our launcher answers up to 1,000 `_id` values from the index, more by scanning. */
const READ_IDS = 1000;

export class Rebuilder {
  private readonly rebuilds: Collection<RebuildDoc>;

  constructor(
    db: Db,
    private readonly c: MembershipCollections,
    private readonly segments: Pick<SegmentRepo, 'get'>,
    private readonly catalog: SegmentCatalog,
    private readonly engine: Pick<MembershipEngine, 'evaluate'>,
    private readonly clock: Clock,
    // Per batch: one bulk write, one outbox move, one progress write. 2,000 took a 100,000-contact
    // edit from 10.7-12.1 s (500) to 7.7 s; 5,000 gave 6.8 s but blocks the event loop about
    // 100 ms per batch while it plans (bot turns share the process).
    private readonly batchSize = 2000,
  ) {
    this.rebuilds = db.collection<RebuildDoc>('segment_rebuilds');
  }

  async ensureIndexes(): Promise<void> {
    await this.rebuilds.createIndex({ done: 1, leaseUntil: 1 });
    await this.rebuilds.createIndex({ workspaceId: 1 });
  }

  /** Every rebuild of the workspace, by segment id (one indexed query for a whole segment list). */
  async status(workspaceId: string): Promise<Map<string, RebuildStatus>> {
    const docs = await this.rebuilds.find({ workspaceId }).toArray();
    const now = Date.now();
    return new Map(docs.map((d) => [d.segmentId, statusOf(d, now)]));
  }

  /** Asks for a rebuild; a running one for the same segment starts over with the new definition. */
  async request(workspaceId: string, segmentId: string): Promise<void> {
    await this.rebuilds.updateOne(
      { _id: `${workspaceId}:${segmentId}` },
      {
        $set: {
          workspaceId,
          segmentId,
          token: randomUUID(),
          afterId: null,
          done: false,
          leaseUntil: null,
          requestedAt: new Date(),
          visited: 0,
          total: null,
          startedAt: null,
        },
      },
      { upsert: true },
    );
  }

  /** Claims one pending rebuild and runs it to the end (or until superseded). Returns contacts visited. */
  async runOnce(): Promise<number> {
    const claimed = await this.rebuilds.findOneAndUpdate(
      { done: false, $or: [{ leaseUntil: null }, { leaseUntil: { $lt: new Date() } }] },
      { $set: { leaseUntil: new Date(Date.now() + LEASE_MS) } },
      // Projected: see allocatePositions.
      {
        sort: { requestedAt: 1 },
        returnDocument: 'after',
        projection: {
          workspaceId: 1,
          segmentId: 1,
          token: 1,
          afterId: 1,
          done: 1,
          leaseUntil: 1,
          requestedAt: 1,
          visited: 1,
          total: 1,
          startedAt: 1,
        },
      },
    );
    return claimed ? this.run(claimed) : 0;
  }

  async pending(): Promise<number> {
    return this.rebuilds.countDocuments({ done: false });
  }

  /**
   * One scan collects the candidates' ids in `_id` order (it also gives the total, so there is no
   * separate count); their documents are then read by id, a batch at a time, the next batch
   * being read while the current one is written. Progress is saved every batch.
   */
  private async run(job: RebuildDoc): Promise<number> {
    const { workspaceId, token } = job;
    const candidates = await this.candidateFilter(workspaceId, job.segmentId);
    const after = job.afterId ? [{ _id: { $gt: job.afterId } }] : [];
    const ids = (
      await this.c.contacts
        .find({ $and: [{ workspaceId }, ...after, candidates] }, { projection: { _id: 1 } })
        .sort({ _id: 1 })
        .toArray()
    ).map((d) => d._id);
    let visited = job.visited ?? 0;
    if (job.total === null || job.total === undefined) {
      const r = await this.rebuilds.updateOne(
        { _id: job._id, token },
        { $set: { total: ids.length, startedAt: new Date(), visited: 0 } },
      );
      if (r.matchedCount === 0) return 0; // superseded
    }
    const batches = slices(ids, this.batchSize);
    const read = (batch: string[] = []): Promise<ContactDoc[]> => {
      const reads = slices(batch, READ_IDS).map((chunk) =>
        this.c.contacts.find({ workspaceId, _id: { $in: chunk } }).toArray(),
      );
      const p = Promise.all(reads).then((parts) => parts.flat());
      p.catch(() => undefined); // awaited below; this only keeps a failed read-ahead from going unhandled
      return p;
    };
    let next = read(batches[0]);
    for (const [i, batchIds] of batches.entries()) {
      const batch = await next;
      next = read(batches[i + 1]);
      // One definition read per batch, not per contact; the token check catches a newer one.
      const compiled = await this.catalog.get(workspaceId);
      await evaluateBatch(this.c, this.engine, this.clock, workspaceId, batch, compiled, 'definition');
      visited += batchIds.length;
      const progress = { afterId: batchIds[batchIds.length - 1]!, visited, leaseUntil: leaseEnd() };
      const r = await this.rebuilds.updateOne({ _id: job._id, token }, { $set: progress });
      if (r.matchedCount === 0) return visited; // superseded
    }
    await this.rebuilds.updateOne({ _id: job._id, token }, { $set: { done: true, leaseUntil: null } });
    return visited;
  }

  /**
   * The contacts to visit. For a rule that time can change: every member, and every contact the
   * rule holds for now or at some later instant (compileMongoFuture), so that one which does not
   * match yet also gets its recheck instant from the new rule; visiting only the matches left
   * such a contact without one, and it never entered (issue 23). Otherwise only the contacts
   * whose membership flips: matches that are not members and members that no longer match.
   */
  private async candidateFilter(workspaceId: string, segmentId: string): Promise<Filter<ContactDoc>> {
    const members: Filter<ContactDoc> = { 'segments.segmentId': segmentId };
    const segment = await this.segments.get(workspaceId, segmentId);
    if (!segment?.rule) return members;
    const ws = await this.catalog.get(workspaceId);
    const now = this.clock();
    if (dependsOnTime(segment.rule, ws.ctx)) {
      const future = compileMongoFuture(segment.rule, now, ws.ctx) as Filter<ContactDoc> | null;
      return future ? { $or: [future, members] } : members;
    }
    const matches = compileMongo(segment.rule, now, ws.ctx) as Filter<ContactDoc>;
    return { $or: [{ $and: [matches, { $nor: [members] }] }, { $and: [members, { $nor: [matches] }] }] };
  }
}

const leaseEnd = () => new Date(Date.now() + LEASE_MS);

/** `list` cut into consecutive pieces of at most `size`. */
function slices<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function statusOf(d: RebuildDoc, now: number): RebuildStatus {
  const done = d.visited ?? 0;
  const total = d.total ?? null;
  const startedAt = d.startedAt ?? null;
  if (d.done) return { state: 'done', done, total, startedAt, etaMs: 0 };
  const running = d.leaseUntil !== null && d.leaseUntil.getTime() > now && startedAt !== null;
  const elapsed = startedAt ? now - startedAt.getTime() : 0;
  const etaMs =
    running && done > 0 && total !== null ? Math.max(0, Math.round(((total - done) * elapsed) / done)) : null;
  return { state: running ? 'running' : 'pending', done, total, startedAt, etaMs };
}
