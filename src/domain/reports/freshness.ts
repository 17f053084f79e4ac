/**
 * Freshness of a segment's membership, pure: from the rebuild record, the lags of the two loops
 * that keep membership exact, and an audit of the stored memberships against the rule. A dynamic
 * segment is exact as of "now minus the sweeper's lag" unless a rebuild for its current rule is
 * still running; it is `fresh` only when, besides, no contact's stored membership disagrees with
 * the rule beyond the lag bound (the audit: infra/reports/queries.ts `disagreements`), so the
 * report can never say fresh while explain says result ≠ member for longer than the bound. The
 * dispatcher's lag is reported, but it delays only what subscribers (flows, the feed) see.
 */
import type { Freshness, RebuildInfo } from './types';

export interface FreshnessBounds {
  /** Sweeper lag beyond which a dynamic segment is stale (the "behind by more than 5 s"). */
  maxSweeperLagMs: number;
  /** A rebuild unfinished this long after it was requested is stuck. */
  rebuildStuckMs: number;
  /** A rebuild whose lease expired this long ago (its process died, nobody resumed it) is stuck. */
  leaseGraceMs: number;
}

export const DEFAULT_BOUNDS: FreshnessBounds = {
  maxSweeperLagMs: 5_000,
  rebuildStuckMs: 300_000,
  leaseGraceMs: 10_000,
};

export interface RebuildRecord {
  done: boolean;
  requestedAt: Date;
  leaseUntil: Date | null;
}

export interface FreshnessInput {
  type: 'dynamic' | 'static';
  now: Date;
  rebuild: RebuildRecord | null;
  sweeperLagMs: number;
  dispatcherLagMs: number;
  /** The audit of a dynamic segment (see Freshness.disagreeing) and its instant; absent when not audited. */
  audit?: { count: number; at: Date };
}

export function rebuildState(r: RebuildRecord, now: Date, b: FreshnessBounds): RebuildInfo['state'] {
  if (r.done) return 'done';
  const t = now.getTime();
  const leaseLapsed = r.leaseUntil !== null && t - r.leaseUntil.getTime() > b.leaseGraceMs;
  return leaseLapsed || t - r.requestedAt.getTime() > b.rebuildStuckMs ? 'stuck' : 'running';
}

export function freshness(input: FreshnessInput, b: FreshnessBounds = DEFAULT_BOUNDS): Freshness {
  const { now, rebuild, dispatcherLagMs } = input;
  // Lists change only by hand, through the same write that records the change: always exact.
  const sweeperLagMs = input.type === 'static' ? 0 : input.sweeperLagMs;
  const reasons: string[] = [];
  let rebuildInfo: RebuildInfo | undefined;
  let exactAsOf: Date | null = new Date(now.getTime() - sweeperLagMs);
  if (rebuild) {
    const state = rebuildState(rebuild, now, b);
    rebuildInfo = {
      state,
      requestedAt: rebuild.requestedAt.toISOString(),
    };
    if (state !== 'done') exactAsOf = null;
    if (state === 'stuck') reasons.push('rebuild stuck');
  }
  if (sweeperLagMs > b.maxSweeperLagMs) reasons.push(`sweeper ${sweeperLagMs} ms behind`);
  const audit = input.type === 'dynamic' ? input.audit : undefined;
  const disagreeing = audit?.count;
  if (disagreeing !== undefined && disagreeing > 0)
    reasons.push(
      `${disagreeing} ${disagreeing === 1 ? 'contact disagrees' : 'contacts disagree'} with the rule`,
    );
  return {
    state: reasons.length > 0 ? 'stale' : 'fresh',
    exactAsOf: exactAsOf?.toISOString() ?? null,
    ...(rebuildInfo ? { rebuild: rebuildInfo } : {}),
    sweeperLagMs,
    dispatcherLagMs,
    ...(audit === undefined ? {} : { disagreeing: audit.count, auditedAt: audit.at.toISOString() }),
    ...(reasons.length > 0 ? { reasons } : {}),
  };
}
