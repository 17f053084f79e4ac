/**
 * The 20 dynamic segments of the membership benchmark: the five seed segments (DESIGN §3.3) and
 * fifteen more over the catalogue fields, tags, custom fields and one `in segment`. They are
 * created through SegmentService (parse, dependencies, unique names) with a no-op
 * definitionChanged: the benchmark precomputes every membership, so no rebuild is queued.
 */
import type { Segment } from '../../src/domain/segments/types';
import { SegmentService } from '../../src/domain/segments/service';
import type { SegmentRepo } from '../../src/infra/repos/segments';

export interface SegmentDef {
  name: string;
  text: string;
  seed?: true;
}

/** Dependencies first: `in segment` needs the segments it names to exist. */
export const MEMBERSHIP_SEGMENTS: readonly SegmentDef[] = [
  { name: 'VIP Customers', text: 'lifetimeValue > 5000 OR tag = "VIP"', seed: true },
  { name: 'Inactive 30 Days', text: 'lastConversationAt more than 30 days ago', seed: true },
  { name: 'Hot Leads', text: 'leadScore > 80 AND openDeals > 0', seed: true },
  { name: 'New This Week', text: 'createdAt within last 7 days', seed: true },
  { name: 'At Risk', text: 'supportTickets > 3 AND NOT lastPurchaseAt within last 60 days', seed: true },
  { name: 'Mid Spenders', text: 'lifetimeValue between 1000 and 5000' },
  { name: 'Repeat Buyers', text: 'purchaseCount >= 3 AND lastPurchaseAt within last 90 days' },
  { name: 'Chatty Non-Buyers', text: 'purchaseCount = 0 AND conversationCount > 5' },
  { name: 'Paid Plans', text: 'custom.plan in ("pro", "team", "enterprise")' },
  { name: 'Beta Programme', text: 'tag has any of ("Beta", "trial")' },
  { name: 'Engaged Subscribers', text: 'tag = "newsletter" AND lastConversationAt within last 14 days' },
  { name: 'Opted Out', text: 'optedOut is true' },
  { name: 'Active Today', text: 'lastConversationAt within last 24 hours' },
  { name: 'Wholesale B2B', text: 'tag has all of ("wholesale", "b2b")' },
  { name: 'Lapsed Buyers', text: 'lastPurchaseAt more than 180 days ago AND lifetimeValue > 500' },
  { name: 'EU Enterprise', text: 'custom.plan = "enterprise" AND custom.region = "eu"' },
  { name: 'Large Teams', text: 'custom.seats >= 50 AND NOT custom.plan = "free"' },
  { name: 'Trial Just Ended', text: 'custom.trialEndsAt within last 3 days OR leadScore between 60 and 80' },
  { name: 'Partner Domains', text: 'emailDomain in ("example1.com", "example2.com") OR name contains "7"' },
  { name: 'VIP Engaged', text: 'in segment "VIP Customers" AND NOT in segment "Inactive 30 Days"' },
];

/** Creates the segments in `workspaceId`; returns them in definition order. */
export async function createSegments(
  repo: SegmentRepo,
  workspaceId: string,
  now: () => Date,
  defs: readonly SegmentDef[] = MEMBERSHIP_SEGMENTS,
): Promise<Segment[]> {
  const service = new SegmentService({ store: repo, now, definitionChanged: async () => {} });
  const out: Segment[] = [];
  for (const d of defs) out.push(await service.create(workspaceId, { name: d.name, rule: d.text }, 'bench'));
  return out;
}
