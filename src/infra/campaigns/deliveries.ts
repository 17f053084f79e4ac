/**
 * Delivery records (`campaign_deliveries`): one per (run, contact), its `_id` `<runId>:<contactId>`
 * plus a unique index on the pair, so a snapshot written twice never doubles a recipient. Each
 * move is conditional on the status it leaves (and on the sender's claim for results), so a
 * record is sent at most once however processes interleave.
 */
import type { AnyBulkWriteOperation, Db } from 'mongodb';
import type { Delivery } from '../../domain/campaigns/types';
import { isDuplicateKey } from '../repos/mongoErrors';
import { DeliveryReads } from './deliveryReads';

/** A final state for one record. */
export interface Settle {
  id: string;
  status: 'sent' | 'failed' | 'skipped';
  /** `sending` for what was handed to the channel, `pending` for what never was. */
  from: 'pending' | 'sending';
  reason?: string;
  at: Date;
  /** An operator's re-send of an `unknown` record. */
  resent?: boolean;
}

export const deliveryId = (runId: string, contactId: string) => `${runId}:${contactId}`;

export const UNKNOWN_REASON = 'the sending process stopped before recording the outcome; not sent again';

export class DeliveryRepo extends DeliveryReads {
  constructor(db: Db) {
    super(db.collection<Delivery>('campaign_deliveries'));
  }

  async ensureIndexes(): Promise<void> {
    await this.col.createIndex({ runId: 1, contactId: 1 }, { unique: true });
    // Unique because _id is; its keys are exactly those of the per-record conditional updates
    // below, which is what lets mongo-java-server serve them by index instead of a scan each.
    await this.col.createIndex({ workspaceId: 1, _id: 1, status: 1 }, { unique: true });
    await this.col.createIndex({ workspaceId: 1, runId: 1, status: 1, _id: 1 });
    await this.col.createIndex({ workspaceId: 1, campaignId: 1, status: 1, _id: 1 });
    await this.col.createIndex({ workspaceId: 1, contactId: 1, sentAt: -1 });
  }

  /** Forgets an unfinished snapshot (nothing of it was sent: sending starts after it). */
  async clearRun(workspaceId: string, runId: string): Promise<void> {
    await this.col.deleteMany({ workspaceId, runId });
  }

  /** Writes `pending` records; those that exist already are left as they are. */
  async insertPending(
    workspaceId: string,
    campaignId: string,
    runId: string,
    contactIds: string[],
    now: Date,
  ): Promise<void> {
    if (!contactIds.length) return;
    const docs: Delivery[] = contactIds.map((contactId) => ({
      _id: deliveryId(runId, contactId),
      workspaceId,
      campaignId,
      runId,
      contactId,
      status: 'pending',
      updatedAt: now,
    }));
    try {
      await this.col.insertMany(docs, { ordered: false });
    } catch (err) {
      const errors = (err as { writeErrors?: unknown[] }).writeErrors;
      // After a failed unordered insert trust writeErrors (DESIGN §2.1): only duplicates are fine.
      if (!Array.isArray(errors) || !errors.every((e) => isDuplicateKey(e))) throw err;
    }
  }

  /** Records left in `sending` by a sender that died become `unknown`, never sent again. */
  async recoverSending(workspaceId: string, runId: string, now: Date): Promise<number> {
    const r = await this.col.updateMany(
      { workspaceId, runId, status: 'sending' },
      { $set: { status: 'unknown', reason: UNKNOWN_REASON, updatedAt: now } },
    );
    return r.modifiedCount;
  }

  /**
   * The run's pending records in `_id` order, read once per sending session (one query rather
   * than one per batch: only the lease holder sends a run, and every move below re-checks).
   */
  pendingOf(workspaceId: string, runId: string): Promise<Pick<Delivery, '_id' | 'contactId'>[]> {
    return this.col
      .find({ workspaceId, runId, status: 'pending' }, { projection: { _id: 1, contactId: 1 } })
      .sort({ _id: 1 })
      .toArray();
  }

  /**
   * pending → sending for `ids` under `claim`, in one round trip; the ids this sender now holds
   * (a cancel may have skipped some first).
   */
  async markSending(workspaceId: string, ids: string[], claim: string, now: Date): Promise<Set<string>> {
    const r = await this.col.bulkWrite(
      ids.map((_id) => ({
        updateOne: {
          filter: { workspaceId, _id, status: 'pending' as const },
          // `sendingAt` stays on an `unknown` record: when its send started (operators see it).
          update: { $set: { status: 'sending' as const, claim, updatedAt: now, sendingAt: now } },
        },
      })),
      { ordered: false },
    );
    if (r.modifiedCount === ids.length) return new Set(ids);
    const mine = await this.col
      .find({ workspaceId, _id: { $in: ids }, status: 'sending', claim }, { projection: { _id: 1 } })
      .toArray();
    return new Set(mine.map((d) => d._id));
  }

  /** sending → pending for records this sender claimed but did not hand over (a pause). */
  async release(workspaceId: string, ids: string[], now: Date): Promise<void> {
    if (!ids.length) return;
    await this.col.bulkWrite(
      ids.map((_id) => ({
        updateOne: {
          filter: { workspaceId, _id, status: 'sending' as const },
          update: { $set: { status: 'pending' as const, updatedAt: now }, $unset: { claim: '' as const } },
        },
      })),
      { ordered: false },
    );
  }

  /**
   * Final states, in one round trip: from `sending` (sent, failed) or from `pending` (skipped
   * before sending). A record in `sending` is only ever this sender's: a new lease holder turns
   * a dead sender's into `unknown` first, so the dead sender's late writes match nothing.
   */
  async settle(workspaceId: string, results: Settle[]): Promise<void> {
    if (!results.length) return;
    const ops: AnyBulkWriteOperation<Delivery>[] = results.map((r) => {
      return {
        updateOne: {
          filter: { workspaceId, _id: r.id, status: r.from },
          update: {
            $set: {
              status: r.status,
              updatedAt: r.at,
              ...(r.reason ? { reason: r.reason } : {}),
              ...(r.status === 'sent' ? { sentAt: r.at } : {}),
            },
            // A re-sent record that was `unknown` drops the reason it was unknown for.
            ...(r.status === 'sent' && r.resent ? { $unset: { reason: '' as const } } : {}),
          },
        },
      };
    });
    await this.col.bulkWrite(ops, { ordered: false });
  }

  /** Records of one campaign by id (at most a few hundred: the operator's re-send). */
  byIds(workspaceId: string, campaignId: string, ids: readonly string[]): Promise<Delivery[]> {
    return this.col.find({ workspaceId, campaignId, _id: { $in: [...ids] } }).toArray();
  }

  /**
   * unknown → sending under `claim` for an operator's re-send, in one round trip (each conditional
   * on `unknown`, so two re-sends at once send once); returns the ids this re-send holds. `from`
   * may also name records left `sending` by a re-send whose process died (see resend.ts).
   */
  async claimForResend(
    workspaceId: string,
    ids: readonly { id: string; from: 'unknown' | 'sending' }[],
    claim: string,
    now: Date,
  ): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const r = await this.col.bulkWrite(
      ids.map(({ id, from }) => ({
        updateOne: {
          filter: { workspaceId, _id: id, status: from },
          update: {
            $set: { status: 'sending' as const, claim, updatedAt: now, sendingAt: now, resentAt: now },
          },
        },
      })),
      { ordered: false },
    );
    const all = ids.map((i) => i.id);
    if (r.modifiedCount === ids.length) return new Set(all);
    const mine = await this.col
      .find({ workspaceId, _id: { $in: all }, status: 'sending', claim }, { projection: { _id: 1 } })
      .toArray();
    return new Set(mine.map((d) => d._id));
  }

  /** sending → unknown for records a re-send claimed but did not send (the process is stopping). */
  async unclaim(workspaceId: string, ids: string[], now: Date): Promise<void> {
    if (!ids.length) return;
    await this.col.updateMany(
      { workspaceId, _id: { $in: ids }, status: 'sending' },
      { $set: { status: 'unknown', updatedAt: now } },
    );
  }

  async skipPending(workspaceId: string, runId: string, reason: string, now: Date): Promise<number> {
    const r = await this.col.updateMany(
      { workspaceId, runId, status: 'pending' },
      { $set: { status: 'skipped', reason, updatedAt: now } },
    );
    return r.modifiedCount;
  }
}
