/**
 * Hands transitions, in position order, to subscribers (workflow bindings, reports). The cursor
 * is persisted once per batch, after the last transition delivered (or before the one a
 * subscriber failed on), so a restart resumes at most one batch back (at-least-once: subscribers
 * must be idempotent — a transition's `_id` is its key). Persisting per transition cost one
 * write per transition, the largest single cost of a bulk import (57,000 writes for 20,000 contacts).
 * One process dispatches at a time (a lease in the cursor document).
 *
 * Gaps: positions are allocated just before insertion, so a missing position is either an insert
 * still in flight (wait for it) or one whose process died (its transitions are re-flushed later
 * under new positions). A gap is waited for up to `gapGraceMs`, then passed.
 */
import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import type { Transition } from '../../domain/membership/transitions';
import type { Logger } from '../logger';
import { isDuplicateKey } from '../repos/mongoErrors';
import type { MembershipCollections } from './store';

export type TransitionHandler = (t: Transition) => Promise<void>;
/** Takes a whole batch at once (in position order): for subscribers that write in bulk. */
export type BatchHandler = (ts: Transition[]) => Promise<void>;

interface CursorDoc {
  _id: string;
  position: number;
  owner: string | null;
  leaseUntil: Date | null;
}

const LEASE_MS = 15_000;

export class Dispatcher {
  private readonly handlers: { name: string; fn: TransitionHandler }[] = [];
  private readonly batchHandlers: { name: string; fn: BatchHandler }[] = [];
  private readonly cursors: Collection<CursorDoc>;
  private readonly me = randomUUID();
  private gap: { position: number; since: number } | undefined;

  constructor(
    db: Db,
    private readonly c: MembershipCollections,
    private readonly log: Logger,
    private readonly opts: { name?: string; gapGraceMs?: number; batch?: number } = {},
  ) {
    this.cursors = db.collection<CursorDoc>('dispatch_cursors');
  }

  subscribe(name: string, fn: TransitionHandler): void {
    this.handlers.push({ name, fn });
  }

  /** A subscriber that takes each batch at once; a failure redelivers the whole batch. */
  subscribeBatch(name: string, fn: BatchHandler): void {
    this.batchHandlers.push({ name, fn });
  }

  /** Gives the lease up, so another process takes over at once instead of after it expires. */
  async release(): Promise<void> {
    await this.cursors.updateOne(
      { _id: this.cursorId, owner: this.me },
      { $set: { owner: null, leaseUntil: null } },
    );
  }

  async position(): Promise<number> {
    return (await this.cursors.findOne({ _id: this.cursorId }))?.position ?? 0;
  }

  /** Delivers what is ready; returns how many transitions were delivered. */
  async dispatchOnce(): Promise<number> {
    const cursor = await this.claim();
    if (cursor === undefined) return 0;
    let pos = cursor;
    let delivered = 0;
    const batch = await this.c.transitions
      .find({ position: { $gt: pos } })
      .sort({ position: 1 })
      .limit(this.opts.batch ?? 200)
      .toArray();
    const ready = this.deliverable(batch, cursor);
    try {
      for (const h of this.batchHandlers) {
        try {
          if (ready.length > 0) await h.fn(ready);
        } catch (err) {
          // Leave the cursor where it is: the whole batch is delivered again on the next tick.
          this.log.error({ err, subscriber: h.name }, 'dispatcher: batch subscriber failed');
          return 0;
        }
      }
      for (const t of ready) {
        for (const h of this.handlers) {
          try {
            await h.fn(t);
          } catch (err) {
            // Leave the cursor before this transition: it is delivered again on the next tick.
            this.log.error({ err, subscriber: h.name, transition: t._id }, 'dispatcher: subscriber failed');
            return delivered;
          }
        }
        pos = t.position;
        delivered++;
      }
      return delivered;
    } finally {
      if (pos > cursor)
        await this.cursors.updateOne({ _id: this.cursorId, owner: this.me }, { $set: { position: pos } });
    }
  }

  /** The batch's prefix that may go out now: contiguous positions, or past a gap waited out. */
  private deliverable(batch: Transition[], cursor: number): Transition[] {
    const ready: Transition[] = [];
    let pos = cursor;
    for (const t of batch) {
      if (t.position !== pos + 1 && !this.gapExpired(pos + 1)) break;
      ready.push(t);
      pos = t.position;
    }
    return ready;
  }

  private get cursorId(): string {
    return this.opts.name ?? 'segment_transitions';
  }

  private gapExpired(position: number): boolean {
    const now = Date.now();
    if (this.gap?.position !== position) this.gap = { position, since: now };
    if (now - this.gap.since < (this.opts.gapGraceMs ?? 10_000)) return false;
    this.log.warn({ position }, 'dispatcher: passing a position that never arrived');
    return true;
  }

  /** Takes or renews the lease; returns the cursor, or undefined when another process holds it. */
  private async claim(): Promise<number | undefined> {
    const now = new Date();
    const lease = { owner: this.me, leaseUntil: new Date(now.getTime() + LEASE_MS) };
    await this.cursors
      .updateOne(
        { _id: this.cursorId },
        { $setOnInsert: { position: 0, owner: null, leaseUntil: null } },
        { upsert: true },
      )
      .catch((err: unknown) => {
        if (!isDuplicateKey(err)) throw err;
      });
    const doc = await this.cursors.findOneAndUpdate(
      { _id: this.cursorId, $or: [{ owner: this.me }, { owner: null }, { leaseUntil: { $lt: now } }] },
      { $set: lease },
      // Projected: see allocatePositions.
      { returnDocument: 'after', projection: { position: 1 } },
    );
    return doc?.position;
  }
}
