/**
 * Reports (DESIGN §3.9): sizes and daily history per segment, the comparison table and
 * freshness, for the API, the chat command and the charts. History comes from the stored daily
 * snapshots plus the transitions feed for the days not yet snapshotted (usually only today), so
 * a 90-day chart reads about 90 small records and today's transitions, not the whole feed.
 */
import { freshness, DEFAULT_BOUNDS, type FreshnessBounds } from '../../domain/reports/freshness';
import { buildHistory, dayStart, lastDays, utcDay } from '../../domain/reports/history';
import type { CompareRow, DayPoint, Freshness } from '../../domain/reports/types';
import type { Clock } from '../../domain/membership/transitions';
import type { Segment } from '../../domain/segments/types';
import { NotFoundError } from '../../errors';
import type { SegmentRepo } from '../repos/segments';
import type { MemberStatsCache } from './memberStats';
import type { ReportQueries } from './queries';

/**
 * How old a freshness audit may be when a report does not say (`maxAge`). The audit reads every
 * contact of the workspace once per dynamic segment (docs/membership.md), so reports asked for
 * again and again reuse it, but for no longer than the lag bound (5 s): then no report says
 * `fresh` while a contact has disagreed with its rule for longer than that bound.
 */
export const AUDIT_MAX_AGE_MS = DEFAULT_BOUNDS.maxSweeperLagMs;

export interface SegmentReport {
  id: string;
  name: string;
  size: number;
  history: DayPoint[];
  freshness: Freshness;
}

export interface ReportDeps {
  segments: Pick<SegmentRepo, 'list' | 'get'>;
  queries: ReportQueries;
  memberStats: Pick<MemberStatsCache, 'get'>;
  clock: Clock;
  bounds?: FreshnessBounds;
}

export class ReportService {
  constructor(private readonly d: ReportDeps) {}

  /**
   * Every segment of the workspace with its size, freshness and `days` of history. The freshness
   * audit may be up to `auditMaxAgeMs` old (0: audit now).
   */
  async overview(workspaceId: string, days = 30, auditMaxAgeMs?: number): Promise<SegmentReport[]> {
    const segments = await this.d.segments.list(workspaceId);
    return this.reports(workspaceId, segments, days, auditMaxAgeMs);
  }

  async segment(
    workspaceId: string,
    id: string,
    days: number,
    auditMaxAgeMs?: number,
  ): Promise<SegmentReport> {
    const s = await this.d.segments.get(workspaceId, id);
    if (!s) throw new NotFoundError('segment', id);
    return (await this.reports(workspaceId, [s], days, auditMaxAgeMs))[0]!;
  }

  /** One segment's name and history, without freshness (what a chart needs). */
  async history(
    workspaceId: string,
    id: string,
    days: number,
  ): Promise<{ name: string; history: DayPoint[] }> {
    const s = await this.d.segments.get(workspaceId, id);
    if (!s) throw new NotFoundError('segment', id);
    const { history } = await this.histories(workspaceId, [s], days);
    return { name: s.name, history: history.get(s._id)! };
  }

  /**
   * One row per segment, in the order asked for. Member figures are precomputed (at most
   * `maxAgeMs` old, see memberStats.ts); handoffs and campaign rates are read now.
   */
  async compare(workspaceId: string, ids: readonly string[], maxAgeMs?: number): Promise<CompareRow[]> {
    const segments = await this.resolve(workspaceId, ids);
    const [stats, handoffs] = await Promise.all([
      this.d.memberStats.get(workspaceId, ids, maxAgeMs),
      this.d.queries.handoffsBySegment(workspaceId, ids),
    ]);
    return segments.map((s) => {
      // The cache answers for every id asked.
      const st = stats.get(s._id)!;
      return {
        id: s._id,
        name: s.name,
        members: st.members,
        avgLifetimeValue: st.avgLifetimeValue,
        avgLeadScore: st.avgLeadScore,
        conversationsPerMember: st.conversationsPerMember,
        handoffs: handoffs.get(s._id) ?? 0,
        optedOutShare: st.members > 0 ? st.optedOut / st.members : null,
        deliveryRate: st.deliveryRate,
        replyRate: st.replyRate,
        asOf: st.asOf,
      };
    });
  }

  /** Every segment of the workspace. */
  resolveAll(workspaceId: string): Promise<Segment[]> {
    return this.d.segments.list(workspaceId);
  }

  /** The segments with these ids (404 for one that is not in the workspace). */
  async resolve(workspaceId: string, ids: readonly string[]): Promise<Segment[]> {
    const all = new Map((await this.d.segments.list(workspaceId)).map((s) => [s._id, s]));
    return ids.map((id) => {
      const s = all.get(id);
      if (!s) throw new NotFoundError('segment', id);
      return s;
    });
  }

  /** Histories of several segments from one read of each source. */
  async histories(workspaceId: string, segments: readonly Segment[], days: number) {
    const q = this.d.queries;
    const now = this.d.clock();
    const dayList = lastDays(now, days);
    const ids = segments.map((s) => s._id);
    const [sizes, snaps] = await Promise.all([
      q.sizes(workspaceId, ids),
      q.snapshots(workspaceId, ids, dayList[0]!),
    ]);
    // Transitions are needed from the first day (since each segment's creation) with no snapshot.
    let from = utcDay(now);
    for (const s of segments) {
      const created = utcDay(s.createdAt);
      const missing = dayList.find((d) => d >= created && !snaps.get(s._id)?.has(d));
      if (missing && missing < from) from = missing;
    }
    const counts = await q.dailyCounts(workspaceId, ids, dayStart(from));
    const out = new Map<string, DayPoint[]>();
    for (const s of segments) {
      const created = utcDay(s.createdAt);
      const history = buildHistory({
        days: dayList,
        sizeNow: sizes.get(s._id) ?? 0,
        counts: counts.get(s._id) ?? new Map(),
        snapshots: snaps.get(s._id) ?? new Map(),
      });
      // Before its creation the segment had no members (and nothing was read for those days).
      out.set(
        s._id,
        history.map((p) => (p.day < created ? { day: p.day, size: 0, entered: 0, exited: 0 } : p)),
      );
    }
    return { history: out, snapshots: snaps, sizes };
  }

  /**
   * Freshness of each segment: one read of the rebuilds and of each lag, and the audit of stored
   * memberships against the rules (one count per dynamic segment, audit.ts).
   */
  async freshness(
    workspaceId: string,
    segments: readonly Segment[],
    auditMaxAgeMs = AUDIT_MAX_AGE_MS,
  ): Promise<Map<string, Freshness>> {
    const q = this.d.queries;
    const bounds = this.d.bounds ?? DEFAULT_BOUNDS;
    const dynamic = segments.filter((s) => s.type === 'dynamic').map((s) => s._id);
    const [rebuilds, sweeperLagMs, dispatcherLagMs, wrong] = await Promise.all([
      q.rebuilds(workspaceId),
      q.sweeperLagMs(),
      q.dispatcherLagMs(),
      q.disagreements(workspaceId, dynamic, bounds.maxSweeperLagMs, auditMaxAgeMs),
    ]);
    // Leases and rebuild times are real time; the lags above are measured on the engine's clock.
    const now = new Date();
    return new Map(
      segments.map((s) => [
        s._id,
        freshness(
          {
            type: s.type,
            now,
            rebuild: rebuilds.get(s._id) ?? null,
            sweeperLagMs,
            dispatcherLagMs,
            ...(wrong.has(s._id) ? { audit: wrong.get(s._id) } : {}),
          },
          bounds,
        ),
      ]),
    );
  }

  private async reports(
    workspaceId: string,
    segments: readonly Segment[],
    days: number,
    auditMaxAgeMs?: number,
  ) {
    const [{ history, sizes }, fresh] = await Promise.all([
      this.histories(workspaceId, segments, days),
      this.freshness(workspaceId, segments, auditMaxAgeMs),
    ]);
    return segments.map((s) => ({
      id: s._id,
      name: s.name,
      size: sizes.get(s._id) ?? 0,
      history: history.get(s._id)!,
      freshness: fresh.get(s._id)!,
    }));
  }
}
