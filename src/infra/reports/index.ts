/**
 * Reports, assembled: collections and indexes, queries, the service, the snapshot job and the
 * chart renderer. The API routes and the chat command use `service` and `charts`.
 */
import type { Db } from 'mongodb';
import pino from 'pino';
import { compareChart, historyChart } from '../../domain/reports/charts';
import type { Delivery } from '../../domain/campaigns/types';
import type { CompareMetric } from '../../domain/reports/types';
import type { Clock } from '../../domain/membership/transitions';
import { createChartRenderer, type ChartRenderer } from '../charts/renderer';
import type { Membership } from '../membership';
import type { SegmentRepo } from '../repos/segments';
import type { Logger } from '../logger';
import { deliveryRates, type CampaignRatesSource } from './campaignRates';
import { MemberStatsCache, type StatsAges } from './memberStats';
import { ReportQueries } from './queries';
import { ReportService } from './service';
import { SnapshotTaker } from './snapshots';
import { ensureReportIndexes, reportCollections, type ReportCollections } from './store';

export interface ReportsOptions {
  clock?: Clock;
  campaignRates?: CampaignRatesSource;
  renderer?: ChartRenderer;
  statsAges?: StatsAges;
  log?: Logger;
}

export class Reports {
  readonly collections: ReportCollections;
  readonly queries: ReportQueries;
  readonly service: ReportService;
  readonly memberStats: MemberStatsCache;
  readonly snapshots: SnapshotTaker;
  readonly renderer: ChartRenderer;

  constructor(
    db: Db,
    segments: SegmentRepo,
    membership: Pick<Membership, 'collections' | 'dispatcher' | 'clock' | 'catalog'>,
    opts: ReportsOptions = {},
  ) {
    const clock = opts.clock ?? membership.clock;
    this.collections = reportCollections(db);
    this.queries = new ReportQueries(
      membership.collections,
      this.collections,
      clock,
      () => membership.dispatcher.position(),
      membership.catalog,
    );
    this.memberStats = new MemberStatsCache(
      this.collections.memberStats,
      this.queries,
      clock,
      opts.log ?? pino({ level: 'silent' }),
      opts.statsAges,
      opts.campaignRates ??
        deliveryRates(db.collection<Delivery>('campaign_deliveries'), membership.collections),
    );
    this.service = new ReportService({
      segments,
      queries: this.queries,
      memberStats: this.memberStats,
      clock,
    });
    this.snapshots = new SnapshotTaker(db, this.service, this.collections.snapshots, clock);
    this.renderer = opts.renderer ?? createChartRenderer();
  }

  ensureIndexes(): Promise<void> {
    return ensureReportIndexes(this.collections);
  }

  /** The segment's size history (`days` UTC days) as an SVG chart. */
  async historySvg(workspaceId: string, segmentId: string, days: number): Promise<string> {
    const r = await this.service.history(workspaceId, segmentId, days);
    return this.renderer.svg(historyChart(r.name, r.history));
  }

  /** A bar chart of one metric across the segments, in the order given. */
  async compareSvg(
    workspaceId: string,
    ids: readonly string[],
    metric: CompareMetric,
    maxAgeMs?: number,
  ): Promise<string> {
    const rows = await this.service.compare(workspaceId, ids, maxAgeMs);
    return this.renderer.svg(compareChart(rows, metric));
  }

  async close(): Promise<void> {
    await this.memberStats.idle();
    await this.renderer.close();
  }
}
