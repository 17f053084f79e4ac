/**
 * Campaign delivery and reply rates per segment: the one place that will read campaign delivery
 * records. Campaigns (DESIGN §3.7) are being built at the same time as reports and their
 * collections are not settled, so for now every segment answers null ("no data"), which the API,
 * the chat command and the charts show as "n/a". Fill this in once campaigns land:
 * deliveryRate = sent / (deliveries to members), replyRate = replied / sent.
 */
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
