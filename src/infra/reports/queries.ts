/**
 * The reads behind reports, each one query scoped by workspace (the two lags are system-wide:
 * one sweeper and one dispatcher serve every workspace). Member statistics come from one
 * aggregation over the members of all the segments asked for (`segments.segmentId` is indexed),
 * not one scan per segment.
 */
import type { Day, MemberStats, Snapshot } from '../../domain/reports/types';
import { countByDay } from '../../domain/reports/history';
import type { Clock } from '../../domain/membership/transitions';
import type { SegmentCatalog } from '../membership/catalog';
import type { MembershipCollections } from '../membership/store';
import { disagreements } from './audit';
import type { ReportCollections } from './store';

export type { MemberStats } from '../../domain/reports/types';

type DayCounts = Map<Day, { entered: number; exited: number }>;

export class ReportQueries {
  constructor(
    private readonly m: MembershipCollections,
    private readonly r: ReportCollections,
    private readonly clock: Clock,
    private readonly dispatcherPosition: () => Promise<number>,
    private readonly catalog: Pick<SegmentCatalog, 'get'>,
  ) {}

  /** Recent audit counts by `workspaceId:segmentId` (see `disagreements`). */
  private readonly audits = new Map<
    string,
    { generation: number; realAt: number; at: Date; count: number }
  >();

  /**
   * Per dynamic segment among `segmentIds`: contacts whose stored membership disagrees with the
   * rule now and `lagMs` ago (audit.ts; one count per segment, a pass over the workspace's
   * contacts each). A clean audit (0) younger than `maxAgeMs` (real and business time) for the
   * same rules is reused, so a healthy report asked for again and again audits at most once per
   * `maxAgeMs`; a count above 0 is never reused (it may be a rebuild in progress, or a repair
   * may come at any moment), so a report that says stale always says so from a fresh look.
   */
  async disagreements(
    workspaceId: string,
    segmentIds: readonly string[],
    lagMs: number,
    maxAgeMs: number,
  ): Promise<Map<string, { count: number; at: Date }>> {
    const ws = await this.catalog.get(workspaceId);
    const now = this.clock();
    const real = Date.now();
    const key = (id: string) => `${workspaceId}:${id}`;
    const usable = (id: string) => {
      const e = this.audits.get(key(id));
      return (
        e !== undefined &&
        e.count === 0 &&
        e.generation === ws.generation &&
        real - e.realAt <= maxAgeMs &&
        Math.abs(now.getTime() - e.at.getTime()) <= maxAgeMs
      );
    };
    const missing = segmentIds.filter((id) => !usable(id));
    if (missing.length > 0) {
      const counts = await disagreements(this.m, workspaceId, ws, missing, now, lagMs);
      for (const [id, count] of counts)
        this.audits.set(key(id), { generation: ws.generation, realAt: real, at: now, count });
    }
    const out = new Map<string, { count: number; at: Date }>();
    for (const id of segmentIds) {
      const e = this.audits.get(key(id));
      if (e && e.generation === ws.generation) out.set(id, { count: e.count, at: e.at });
    }
    return out;
  }

  /** Members now, per segment (segments with none are absent). */
  async sizes(workspaceId: string, segmentIds: readonly string[]): Promise<Map<string, number>> {
    // One segment: a count on the multikey index, no aggregation.
    if (segmentIds.length === 1) {
      const id = segmentIds[0]!;
      return new Map([[id, await this.m.contacts.countDocuments({ workspaceId, 'segments.segmentId': id })]]);
    }
    const stats = await this.memberStats(workspaceId, segmentIds);
    return new Map([...stats].map(([id, s]) => [id, s.members]));
  }

  /** Counts and averages over each segment's current members. */
  async memberStats(workspaceId: string, segmentIds: readonly string[]): Promise<Map<string, MemberStats>> {
    const ids = [...segmentIds];
    const rows = await this.m.contacts
      .aggregate<{
        _id: string;
        members: number;
        ltv: number | null;
        lead: number | null;
        conv: number | null;
        opted: number;
      }>([
        { $match: { workspaceId, 'segments.segmentId': { $in: ids } } },
        // `segments: 1`, not 'segments.segmentId': mongo-java-server projects a path into an
        // array of objects as one object holding an array, which $unwind then cannot split.
        { $project: { lifetimeValue: 1, leadScore: 1, conversationCount: 1, optedOut: 1, segments: 1 } },
        { $unwind: '$segments' },
        { $match: { 'segments.segmentId': { $in: ids } } },
        {
          $group: {
            _id: '$segments.segmentId',
            members: { $sum: 1 },
            ltv: { $avg: '$lifetimeValue' },
            lead: { $avg: '$leadScore' },
            conv: { $avg: '$conversationCount' },
            opted: { $sum: { $cond: [{ $eq: ['$optedOut', true] }, 1, 0] } },
          },
        },
      ])
      .toArray();
    return new Map(
      rows.map((x) => [
        x._id,
        {
          members: x.members,
          avgLifetimeValue: x.ltv ?? null,
          avgLeadScore: x.lead ?? null,
          conversationsPerMember: x.conv ?? null,
          optedOut: x.opted,
        },
      ]),
    );
  }

  /** Handoff requests per segment, counted for contacts who are members now. */
  async handoffsBySegment(workspaceId: string, segmentIds: readonly string[]): Promise<Map<string, number>> {
    const perContact = await this.r.handoffs
      .aggregate<{ _id: string; n: number }>([
        { $match: { workspaceId } },
        { $group: { _id: '$contactId', n: { $sum: 1 } } },
      ])
      .toArray();
    const out = new Map<string, number>();
    if (perContact.length === 0) return out;
    const wanted = new Set(segmentIds);
    const byContact = new Map(perContact.map((h) => [h._id, h.n]));
    const contacts = await this.m.contacts
      .find({ workspaceId, _id: { $in: [...byContact.keys()] } }, { projection: { segments: 1 } })
      .toArray();
    for (const c of contacts)
      for (const s of c.segments ?? [])
        if (wanted.has(s.segmentId))
          out.set(s.segmentId, (out.get(s.segmentId) ?? 0) + (byContact.get(c._id) ?? 0));
    return out;
  }

  /** Entered/exited per UTC day since `from`, per segment. */
  async dailyCounts(
    workspaceId: string,
    segmentIds: readonly string[],
    from: Date,
  ): Promise<Map<string, DayCounts>> {
    const docs = await this.r.transitions
      .find(
        { workspaceId, segmentId: { $in: [...segmentIds] }, at: { $gte: from } },
        { projection: { _id: 0, segmentId: 1, kind: 1, at: 1 } },
      )
      .toArray();
    const bySegment = new Map<string, { kind: 'entered' | 'exited'; at: Date }[]>();
    for (const t of docs) {
      let list = bySegment.get(t.segmentId);
      if (!list) bySegment.set(t.segmentId, (list = []));
      list.push(t);
    }
    return new Map([...bySegment].map(([id, list]) => [id, countByDay(list)]));
  }

  /** Stored snapshots from `fromDay` on, per segment and day. */
  async snapshots(
    workspaceId: string,
    segmentIds: readonly string[],
    fromDay: Day,
  ): Promise<Map<string, Map<Day, Snapshot>>> {
    const docs = await this.r.snapshots
      .find({ workspaceId, segmentId: { $in: [...segmentIds] }, day: { $gte: fromDay } })
      .toArray();
    const out = new Map<string, Map<Day, Snapshot>>();
    for (const s of docs) {
      let m = out.get(s.segmentId);
      if (!m) out.set(s.segmentId, (m = new Map<Day, Snapshot>()));
      m.set(s.day, s);
    }
    return out;
  }

  /** Rebuild records of the workspace by segment. */
  async rebuilds(workspaceId: string) {
    const docs = await this.r.rebuilds.find({ workspaceId }).toArray();
    return new Map(docs.map((d) => [d.segmentId, d]));
  }

  /** How long the oldest due time-based recheck has been waiting (0 when none is due). */
  async sweeperLagMs(): Promise<number> {
    const now = this.clock();
    const due = await this.m.contacts.findOne(
      { nextRecheckAt: { $lte: now } },
      { sort: { nextRecheckAt: 1 }, projection: { _id: 0, nextRecheckAt: 1 } },
    );
    return due?.nextRecheckAt ? Math.max(0, now.getTime() - due.nextRecheckAt.getTime()) : 0;
  }

  /** How long the oldest transition not yet handed to subscribers has been waiting. */
  async dispatcherLagMs(): Promise<number> {
    const position = await this.dispatcherPosition();
    const next = await this.m.transitions.findOne(
      { position: { $gt: position } },
      { sort: { position: 1 }, projection: { _id: 0, at: 1 } },
    );
    return next ? Math.max(0, this.clock().getTime() - next.at.getTime()) : 0;
  }
}
