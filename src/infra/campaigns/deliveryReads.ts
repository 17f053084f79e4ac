/**
 * Reading delivery records for people rather than for the sender: counts by status (with
 * replies) for a campaign or one run, a page of records, and reply attribution on a contact's
 * message. `DeliveryRepo` adds the sender's writes on the same collection.
 */
import type { Collection } from 'mongodb';
import {
  DELIVERY_STATUSES,
  REPLY_WINDOW_MS,
  type Delivery,
  type DeliveryCounts,
  type DeliveryStatus,
} from '../../domain/campaigns/types';

export class DeliveryReads {
  constructor(readonly col: Collection<Delivery>) {}

  async counts(workspaceId: string, campaignId: string, runId?: string): Promise<DeliveryCounts> {
    const match = { workspaceId, campaignId, ...(runId ? { runId } : {}) };
    const rows = await this.col
      .aggregate<{ _id: DeliveryStatus; n: number; replied: number }>([
        { $match: match },
        {
          $group: {
            _id: '$status',
            n: { $sum: 1 },
            replied: { $sum: { $cond: [{ $ifNull: ['$repliedAt', false] }, 1, 0] } },
          },
        },
      ])
      .toArray();
    const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as DeliveryCounts;
    counts.total = 0;
    counts.replied = 0;
    for (const r of rows) {
      counts[r._id] = r.n;
      counts.total += r.n;
      counts.replied += r.replied;
    }
    return counts;
  }

  /** A page of a campaign's deliveries in `_id` order, optionally of one status. */
  page(
    workspaceId: string,
    campaignId: string,
    status: DeliveryStatus | undefined,
    after: string | undefined,
    limit: number,
  ) {
    return this.col
      .find({
        workspaceId,
        campaignId,
        ...(status ? { status } : {}),
        ...(after ? { _id: { $gt: after } } : {}),
      })
      .project<Omit<Delivery, 'claim'>>({ claim: 0 })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
  }

  /** A contact's message marks their deliveries of the last 24 h as replied (the first reply counts). */
  async recordReply(workspaceId: string, contactId: string, at: Date): Promise<number> {
    const r = await this.col.updateMany(
      {
        workspaceId,
        contactId,
        status: 'sent',
        sentAt: { $gte: new Date(at.getTime() - REPLY_WINDOW_MS), $lte: at },
        repliedAt: { $exists: false },
      },
      { $set: { repliedAt: at } },
    );
    return r.modifiedCount;
  }
}
