/**
 * The queue's order and its rendering (pure). Routing (VIP) requests go ahead of all others, then
 * the higher segment priority, then the longer wait; the id breaks exact ties so every process
 * and every `/queue` shows the same order (and `/accept <n>` takes what the agent saw).
 */
import type { Segment } from '../../src/domain/segments/types';
import type { Handoff, SegmentSnapshot } from '../../src/infra/repos/handoffs';

export type QueueEntry = Pick<Handoff, '_id' | 'routing' | 'priority' | 'requestedAt'>;

/** Sort comparator for queued requests: routing first, then priority (high first), then oldest. */
export function compareQueue(a: QueueEntry, b: QueueEntry): number {
  if (a.routing !== b.routing) return a.routing ? -1 : 1;
  if (a.priority !== b.priority) return b.priority - a.priority;
  const wait = a.requestedAt.getTime() - b.requestedAt.getTime();
  if (wait !== 0) return wait;
  return a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
}

/** A sorted copy, first in line first. */
export function orderQueue<T extends QueueEntry>(entries: readonly T[]): T[] {
  return [...entries].sort(compareQueue);
}

/** The segment fields a request keeps, with its routing flag and its highest priority (0 with none). */
export function snapshotSegments(segments: readonly Segment[]): {
  segments: SegmentSnapshot[];
  routing: boolean;
  priority: number;
} {
  const snap = segments.map((s) => ({
    segmentId: s._id,
    name: s.name,
    priority: s.priority,
    routing: s.routing,
  }));
  return {
    segments: snap,
    routing: snap.some((s) => s.routing),
    priority: snap.length ? Math.max(...snap.map((s) => s.priority)) : 0,
  };
}

/**
 * A contact the VIP onboarding flow has welcomed (`custom.vipOnboarded`) is routed like a member
 * of a routing segment, even before or after the segment itself says so.
 */
export function withVipFlag<T extends { routing: boolean }>(
  snap: T,
  contact: { custom: Record<string, unknown> },
): T {
  return contact.custom.vipOnboarded === true ? { ...snap, routing: true } : snap;
}

/** "45 s", "12 min", "2 h 5 min": how long someone has waited. */
export function formatWait(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** One line describing a request to an agent: name, VIP mark and segments. */
export function describeRequest(h: Pick<Handoff, 'contactName' | 'routing' | 'segments'>): string {
  const segs = h.segments.length ? h.segments.map((s) => s.name).join(', ') : 'no segments';
  return `${h.contactName}${h.routing ? ' [VIP]' : ''} (${segs})`;
}

/** The `/queue` answer: position, name, segments and waiting time, in queue order. */
export function formatQueue(ordered: readonly Handoff[], now: Date): string {
  if (!ordered.length) return 'The queue is empty.';
  const lines = ordered.map(
    (h, i) =>
      `${i + 1}. ${describeRequest(h)}, waiting ${formatWait(now.getTime() - h.requestedAt.getTime())}`,
  );
  return [`${ordered.length} waiting:`, ...lines, 'Type /accept for the first in line or /accept <n>.'].join(
    '\n',
  );
}
