/** Reports (DESIGN §3.9): what the API, the chat command and the charts are built from. */

/** A UTC calendar day, `YYYY-MM-DD`. */
export type Day = string;

/** One day of a segment's history: its size at the end of the day (now, for today). */
export interface DayPoint {
  day: Day;
  size: number;
  entered: number;
  exited: number;
}

/** A stored daily record (one per segment per UTC day): the size at the end of that day. */
export interface Snapshot {
  workspaceId: string;
  segmentId: string;
  day: Day;
  size: number;
  entered: number;
  exited: number;
  /** When the snapshot job wrote it. */
  takenAt: Date;
}

export type RebuildState = 'running' | 'stuck' | 'done';

export interface RebuildInfo {
  state: RebuildState;
  requestedAt: string;
}

/**
 * When a segment's membership was last guaranteed exact. `stale` when its rebuild is stuck, the
 * sweeper (time-based rules) is behind by more than the bound, or the audit finds contacts whose
 * stored membership disagrees with the rule for longer than that bound (docs/membership.md).
 */
export interface Freshness {
  state: 'fresh' | 'stale';
  /** ISO instant; null while the segment's current rule has never been fully built. */
  exactAsOf: string | null;
  rebuild?: RebuildInfo;
  sweeperLagMs: number;
  dispatcherLagMs: number;
  /**
   * Dynamic segments: contacts whose stored membership disagrees with the rule both now and one
   * lag bound ago (members the rule rejects, non-members it accepts). 0 when fresh.
   */
  disagreeing?: number;
  /** The business instant the audit was made (reports reuse one up to their `maxAge`). */
  auditedAt?: string;
  /** Why it is stale (absent when fresh). */
  reasons?: string[];
}

/** One row of the comparison table. Averages are over members that have the field. */
export interface CompareRow {
  id: string;
  name: string;
  members: number;
  avgLifetimeValue: number | null;
  avgLeadScore: number | null;
  conversationsPerMember: number | null;
  /** Human-handoff requests made by contacts who are members now. */
  handoffs: number;
  optedOutShare: number | null;
  /** Campaigns sent to current members: sent / finished deliveries, replied / sent (null: none). */
  deliveryRate: number | null;
  replyRate: number | null;
  /** When members, the averages and opted out were computed (they are precomputed; see docs/reports.md). */
  asOf: Date;
}

export const COMPARE_METRICS = [
  'members',
  'avgLifetimeValue',
  'avgLeadScore',
  'conversationsPerMember',
  'handoffs',
  'optedOutShare',
  'deliveryRate',
  'replyRate',
] as const;
export type CompareMetric = (typeof COMPARE_METRICS)[number];

/** Member figures of one segment, computed from its members (the comparison table). */
export interface MemberStats {
  members: number;
  avgLifetimeValue: number | null;
  avgLeadScore: number | null;
  conversationsPerMember: number | null;
  optedOut: number;
}
