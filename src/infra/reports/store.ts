/**
 * Collections the reports read and write: daily snapshots (one per segment per UTC day, unique,
 * so the job is idempotent and two processes cannot write a day twice), plus the transitions
 * index that serves per-segment, per-period reads.
 */
import type { Collection, Db } from 'mongodb';
import type { Snapshot } from '../../domain/reports/types';
import type { Transition } from '../../domain/membership/transitions';
import type { MemberStats } from '../../domain/reports/types';
import type { CampaignRates } from './campaignRates';

/** Stored member figures of a segment, with when they were computed (memberStats.ts serves them). */
export interface MemberStatsDoc extends MemberStats, CampaignRates {
  _id: string;
  workspaceId: string;
  segmentId: string;
  computedAt: Date;
}

export interface RebuildRecordDoc {
  _id: string;
  workspaceId: string;
  segmentId: string;
  done: boolean;
  requestedAt: Date;
  leaseUntil: Date | null;
}

export interface ReportCollections {
  snapshots: Collection<Snapshot>;
  transitions: Collection<Transition>;
  /** Written by the membership rebuilder; read here for freshness. */
  rebuilds: Collection<RebuildRecordDoc>;
  handoffs: Collection<{ workspaceId: string; contactId: string }>;
  memberStats: Collection<MemberStatsDoc>;
}

export function reportCollections(db: Db): ReportCollections {
  return {
    snapshots: db.collection<Snapshot>('segment_snapshots'),
    transitions: db.collection<Transition>('segment_transitions'),
    rebuilds: db.collection<RebuildRecordDoc>('segment_rebuilds'),
    handoffs: db.collection('handoffs'),
    memberStats: db.collection<MemberStatsDoc>('segment_member_stats'),
  };
}

export async function ensureReportIndexes(c: ReportCollections): Promise<void> {
  await c.snapshots.createIndex({ workspaceId: 1, segmentId: 1, day: 1 }, { unique: true });
  await c.snapshots.createIndex({ workspaceId: 1, day: 1 });
  await c.transitions.createIndex({ workspaceId: 1, segmentId: 1, at: 1 });
  await c.transitions.createIndex({ workspaceId: 1, at: 1 });
  await c.rebuilds.createIndex({ workspaceId: 1 });
  await c.memberStats.createIndex({ workspaceId: 1, segmentId: 1 });
}
