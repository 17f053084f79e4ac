/**
 * Reports, assembled: collections and indexes, queries, the service, the snapshot job and the
 * chart renderer. The API routes and the chat command use `service` and `charts`.
 */
import type { Db } from 'mongodb';
import { compareChart, historyChart } from '../../domain/reports/charts';
import type { CompareMetric } from '../../domain/reports/types';
import type { Clock } from '../../domain/membership/transitions';
import { createChartRenderer, type ChartRenderer } from '../charts/renderer';
import type { Membership } from '../membership';
import type { SegmentRepo } from '../repos/segments';
import type { CampaignRatesSource } from './campaignRates';
import { ReportQueries } from './queries';
import { ReportService } from './service';
import { SnapshotTaker } from './snapshots';
import { ensureReportIndexes, reportCollections, type ReportCollections } from './store';

export interface ReportsOptions {
  clock?: Clock;
  campaignRates?: CampaignRatesSource;
  renderer?: ChartRenderer;
}

export class Reports {
  readonly collections: ReportCollections;
  readonly queries: ReportQueries;
  readonly service: ReportService;
  readonly snapshots: SnapshotTaker;
  readonly renderer: ChartRenderer;

  constructor(
    db: Db,
    segments: SegmentRepo,
    membership: Pick<Membership, 'collections' | 'dispatcher' | 'clock'>,
    opts: ReportsOptions = {},
  ) {
    const clock = opts.clock ?? membership.clock;
    this.collections = reportCollections(db);
    this.queries = new ReportQueries(membership.collections, this.collections, clock, () =>
      membership.dispatcher.position(),
    );
    this.service = new ReportService({
      segments,
      queries: this.queries,
      clock,
      ...(opts.campaignRates ? { campaignRates: opts.campaignRates } : {}),
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
  async compareSvg(workspaceId: string, ids: readonly string[], metric: CompareMetric): Promise<string> {
    const rows = await this.service.compare(workspaceId, ids);
    return this.renderer.svg(compareChart(rows, metric));
  }

  close(): Promise<void> {
    return this.renderer.close();
  }
}
