/**
 * Rebuilds after a definition change (create, rule edit, delete): the candidates are the contacts
 * the new rule matches (its Mongo filter) plus the current members, walked in `_id` batches and
 * evaluated through the engine's guarded write path (cause `definition`). Progress (`afterId`) is
 * persisted per batch under a lease, so a process killed mid-rebuild is resumed by any process;
 * a newer request for the same segment resets the token and restarts the walk.
 */
import { randomUUID } from 'node:crypto';
import type { Collection, Db, Filter } from 'mongodb';
import { compileMongo } from '../../rules';
import type { Clock } from '../../domain/membership/transitions';
import type { SegmentRepo } from '../repos/segments';
import type { SegmentCatalog } from './catalog';
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
}

const LEASE_MS = 30_000;

export class Rebuilder {
  private readonly rebuilds: Collection<RebuildDoc>;

  constructor(
    db: Db,
    private readonly c: MembershipCollections,
    private readonly segments: Pick<SegmentRepo, 'get'>,
    private readonly catalog: SegmentCatalog,
    private readonly engine: Pick<MembershipEngine, 'apply' | 'evaluate' | 'flush'>,
    private readonly clock: Clock,
    private readonly batchSize = 500,
  ) {
    this.rebuilds = db.collection<RebuildDoc>('segment_rebuilds');
  }

  async ensureIndexes(): Promise<void> {
    await this.rebuilds.createIndex({ done: 1, leaseUntil: 1 });
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
        },
      },
    );
    return claimed ? this.run(claimed) : 0;
  }

  async pending(): Promise<number> {
    return this.rebuilds.countDocuments({ done: false });
  }

  /**
   * One cursor in `_id` order over the candidates (a query per batch made the walk quadratic on
   * mongo-java-server, which scans and sorts for each); progress is saved every batch.
   */
  private async run(job: RebuildDoc): Promise<number> {
    const { workspaceId, segmentId, token } = job;
    const candidates = await this.candidateFilter(workspaceId, segmentId);
    const after = job.afterId ? [{ _id: { $gt: job.afterId } }] : [];
    const cursor = this.c.contacts.find({ $and: [{ workspaceId }, ...after, candidates] }).sort({ _id: 1 });
    let visited = 0;
    // One definition read per batch, not per contact; the token check catches a newer one.
    let compiled = await this.catalog.get(workspaceId);
    try {
      for await (const doc of cursor) {
        const written = await this.engine.apply(doc, 'definition', compiled);
        // Changed since we read it: evaluate afresh (re-reads, retries, flushes).
        if (written === undefined) await this.engine.evaluate(workspaceId, doc._id, 'definition');
        else if (written.length > 0 || doc.pendingTransitions?.length)
          await this.engine.flush(workspaceId, doc._id);
        if (++visited % this.batchSize === 0) {
          const progress = { afterId: doc._id, leaseUntil: new Date(Date.now() + LEASE_MS) };
          const r = await this.rebuilds.updateOne({ _id: job._id, token }, { $set: progress });
          if (r.matchedCount === 0) return visited; // superseded by a newer request
          compiled = await this.catalog.get(workspaceId);
        }
      }
    } finally {
      await cursor.close();
    }
    await this.rebuilds.updateOne({ _id: job._id, token }, { $set: { done: true, leaseUntil: null } });
    return visited;
  }

  private async candidateFilter(workspaceId: string, segmentId: string): Promise<Filter<ContactDoc>> {
    const members: Filter<ContactDoc> = { 'segments.segmentId': segmentId };
    const segment = await this.segments.get(workspaceId, segmentId);
    if (!segment?.rule) return members;
    const ws = await this.catalog.get(workspaceId);
    return { $or: [compileMongo(segment.rule, this.clock(), ws.ctx) as Filter<ContactDoc>, members] };
  }
}
