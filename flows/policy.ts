/**
 * Whether a binding may start a flow for a contact now (pure): the re-entry policy against the
 * contact's earlier instances of that flow, and one running instance at a time.
 */
import type { ReentryPolicy } from './index';

export interface PriorInstances {
  /** Instances of this flow for this contact that actually started (dropped dwells excluded). */
  started: number;
  lastStartedAt: number | null;
  running: boolean;
}

export type StartDecision = { start: true } | { start: false; reason: string };

/**
 * `timeScale` (FLOW_TIME_SCALE) shrinks the cooldown as it shrinks every wait and dwell, so a
 * scaled demo re-enters a contact after the same number of scaled days as production would.
 */
export function mayStart(
  policy: ReentryPolicy,
  prior: PriorInstances,
  now: number,
  timeScale = 1,
): StartDecision {
  if (prior.running) return { start: false, reason: 'already running for this contact' };
  if (prior.started === 0) return { start: true };
  switch (policy.kind) {
    case 'every':
      return { start: true };
    case 'once':
      return { start: false, reason: 're-entry policy "once": it ran before' };
    case 'cooldown': {
      const ms = Math.round(policy.ms * timeScale);
      const scaled = timeScale === 1 ? '' : ` (${formatMs(ms)} at time scale ${timeScale})`;
      return prior.lastStartedAt !== null && now - prior.lastStartedAt < ms
        ? {
            start: false,
            reason: `re-entry policy "cooldown": last started less than ${formatMs(policy.ms)}${scaled} ago`,
          }
        : { start: true };
    }
  }
}

/** "7d", "10m", "90s": the shortest exact unit. */
export function formatMs(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const)
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/** "7d" / "10m" / "2h" / "30s" → ms; undefined when not one of those forms (or absurd). */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d{1,6})(s|m|h|d)$/.exec(text.trim().toLowerCase());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  const ms = n * unit;
  return ms > 0 && ms <= 365 * 86_400_000 ? ms : undefined;
}
