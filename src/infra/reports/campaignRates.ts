/**
 * Campaign delivery and reply rates per segment, over the contacts who are members now (as for
 * handoffs): `deliveryRate` = sent / finished deliveries (sent, failed, skipped, unknown: the
 * share of recipients a campaign reached), `replyRate` = replied within 24 h / sent. Null when
 * the members have no finished delivery (or none sent, for the reply rate). One aggregation per
 * contact over the workspace's deliveries, then one read of those contacts' memberships; it
 * runs with the precomputed member figures (memberStats.ts), not on every request.
 */
import type { Collection } from 'mongodb';
import type { Delivery } from '../../domain/campaigns/types';
import type { MembershipCollections } from '../membership/store';

export interface CampaignRates {
  deliveryRate: number | null;
  replyRate: number | null;
}

export type CampaignRatesSource = (
  workspaceId: string,
  segmentIds: readonly string[],
) => Promise<Map<string, CampaignRates>>;

export const noCampaignRates: CampaignRatesSource = (_workspaceId, segmentIds) =>
  Promise.resolve(new Map(segmentIds.map((id) => [id, { deliveryRate: null, replyRate: null }])));

const FINISHED = ['sent', 'failed', 'skipped', 'unknown'];

export function deliveryRates(
  deliveries: Collection<Delivery>,
  m: Pick<MembershipCollections, 'contacts'>,
): CampaignRatesSource {
  return async (workspaceId, segmentIds) => {
    const perContact = await deliveries
      .aggregate<{ _id: string; finished: number; sent: number; replied: number }>([
        { $match: { workspaceId, status: { $in: FINISHED } } },
        {
          $group: {
            _id: '$contactId',
            finished: { $sum: 1 },
            sent: { $sum: { $cond: [{ $eq: ['$status', 'sent'] }, 1, 0] } },
            replied: { $sum: { $cond: [{ $ifNull: ['$repliedAt', false] }, 1, 0] } },
          },
        },
      ])
      .toArray();
    const sums = new Map(segmentIds.map((id) => [id, { finished: 0, sent: 0, replied: 0 }]));
    if (perContact.length > 0) {
      const byContact = new Map(perContact.map((d) => [d._id, d]));
      const contacts = await m.contacts
        .find({ workspaceId, _id: { $in: [...byContact.keys()] } }, { projection: { segments: 1 } })
        .toArray();
      for (const c of contacts) {
        const d = byContact.get(c._id)!;
        for (const s of c.segments ?? []) {
          const sum = sums.get(s.segmentId);
          if (!sum) continue;
          sum.finished += d.finished;
          sum.sent += d.sent;
          sum.replied += d.replied;
        }
      }
    }
    return new Map(
      [...sums].map(([id, s]) => [
        id,
        {
          deliveryRate: s.finished > 0 ? s.sent / s.finished : null,
          replyRate: s.sent > 0 ? s.replied / s.sent : null,
        },
      ]),
    );
  };
}
