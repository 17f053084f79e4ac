/**
 * Precomputed member figures per segment (members, averages, opted out, campaign rates) for the
 * comparison table. Computing them means reading every member: at 100,000 contacts and 20 segments one
 * aggregation takes about 3 s on the embedded database, too slow for a page or a chat reply. So
 * each segment's figures are stored with the time they were computed (`asOf`, shown wherever the
 * table is) and served while younger than `maxAgeMs`; a figure older than `refreshAfterMs` is
 * served once more while one background refresh per workspace recomputes it. Missing or too old
 * figures are computed at once. `maxAgeMs: 0` asks for exact figures (the API's `maxAge=0`).
 */
import type { Collection } from 'mongodb';
import type { Clock } from '../../domain/membership/transitions';
import type { Logger } from '../logger';
import { noCampaignRates, type CampaignRates, type CampaignRatesSource } from './campaignRates';
import type { MemberStats, ReportQueries } from './queries';
import type { MemberStatsDoc } from './store';

export type Figures = MemberStats & CampaignRates;

export type DatedStats = Figures & { asOf: Date };

export interface StatsAges {
  /** Older figures are recomputed before answering. */
  maxAgeMs: number;
  /** Older figures are still served, and recomputed in the background. */
  refreshAfterMs: number;
}

export const DEFAULT_STATS_AGES: StatsAges = { maxAgeMs: 15 * 60_000, refreshAfterMs: 30_000 };

const EMPTY: Figures = {
  members: 0,
  avgLifetimeValue: null,
  avgLeadScore: null,
  conversationsPerMember: null,
  optedOut: 0,
  deliveryRate: null,
  replyRate: null,
};

export class MemberStatsCache {
  private readonly refreshing = new Map<string, Promise<void>>();

  constructor(
    private readonly col: Collection<MemberStatsDoc>,
    private readonly queries: Pick<ReportQueries, 'memberStats'>,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly ages: StatsAges = DEFAULT_STATS_AGES,
    private readonly rates: CampaignRatesSource = noCampaignRates,
  ) {}

  async get(workspaceId: string, ids: readonly string[], maxAgeMs = this.ages.maxAgeMs) {
    const now = this.clock().getTime();
    const docs = await this.col.find({ workspaceId, segmentId: { $in: [...ids] } }).toArray();
    const out = new Map<string, DatedStats>(docs.map((d) => [d.segmentId, dated(d)]));
    // A negative age is a clock that went back (tests move it): not to be trusted either.
    const age = (id: string) => now - (out.get(id)?.asOf.getTime() ?? -Infinity);
    const due = ids.filter((id) => age(id) > maxAgeMs || age(id) < 0);
    if (due.length > 0) for (const [id, s] of await this.compute(workspaceId, due)) out.set(id, s);
    const old = ids.filter((id) => age(id) > this.ages.refreshAfterMs);
    if (old.length > 0) this.refreshLater(workspaceId, old);
    return out;
  }

  /** Computes and stores the figures of these segments. */
  async compute(workspaceId: string, ids: readonly string[]): Promise<Map<string, DatedStats>> {
    const asOf = this.clock();
    const [stats, rates] = await Promise.all([
      this.queries.memberStats(workspaceId, ids),
      this.rates(workspaceId, ids),
    ]);
    const out = new Map(
      ids.map((id) => [id, { ...EMPTY, ...stats.get(id), ...rates.get(id), asOf }] as const),
    );
    await this.col.bulkWrite(
      [...out].map(([segmentId, s]) => {
        const { asOf: computedAt, ...figures } = s;
        return {
          replaceOne: {
            filter: { _id: `${workspaceId}:${segmentId}` },
            replacement: { workspaceId, segmentId, ...figures, computedAt },
            upsert: true,
          },
        };
      }),
      { ordered: false },
    );
    return out;
  }

  /** Waits for background refreshes (a stopping process must not leave one half done). */
  async idle(): Promise<void> {
    await Promise.all(this.refreshing.values());
  }

  private refreshLater(workspaceId: string, ids: string[]): void {
    if (this.refreshing.has(workspaceId)) return;
    const run = this.compute(workspaceId, ids)
      .then(() => undefined)
      .catch((err: unknown) =>
        this.log.warn({ err, workspaceId }, 'reports: member statistics refresh failed'),
      )
      .finally(() => this.refreshing.delete(workspaceId));
    this.refreshing.set(workspaceId, run);
  }
}

function dated(d: MemberStatsDoc): DatedStats {
  return {
    members: d.members,
    avgLifetimeValue: d.avgLifetimeValue,
    avgLeadScore: d.avgLeadScore,
    conversationsPerMember: d.conversationsPerMember,
    optedOut: d.optedOut,
    deliveryRate: d.deliveryRate,
    replyRate: d.replyRate,
    asOf: d.computedAt,
  };
}
