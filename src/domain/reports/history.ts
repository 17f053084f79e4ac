/**
 * Daily size history, pure. The anchor is the live size now; walking back a day subtracts that
 * day's net change (entered − exited). A stored snapshot of a day is authoritative for it and
 * carries its own entered/exited, so days the transitions feed no longer has (or never had:
 * bulk-loaded memberships) still come out right.
 */
import type { Day, DayPoint, Snapshot } from './types';

export const DAY_MS = 86_400_000;

/** The UTC day of an instant. */
export const utcDay = (at: Date): Day => at.toISOString().slice(0, 10);

/** Midnight UTC starting `day`. */
export const dayStart = (day: Day): Date => new Date(`${day}T00:00:00.000Z`);

/** The `n` UTC days ending with the day of `now`, oldest first. */
export function lastDays(now: Date, n: number): Day[] {
  const today = dayStart(utcDay(now)).getTime();
  return Array.from({ length: n }, (_, i) => utcDay(new Date(today - (n - 1 - i) * DAY_MS)));
}

export interface HistoryInput {
  days: readonly Day[];
  /** Members now (the last day's size). */
  sizeNow: number;
  /** Entered/exited per day from the transitions feed (days without any may be absent). */
  counts: ReadonlyMap<Day, { entered: number; exited: number }>;
  /** Stored snapshots by day. */
  snapshots: ReadonlyMap<Day, Pick<Snapshot, 'size' | 'entered' | 'exited'>>;
}

/** One point per day of `days` (oldest first). Sizes never go below zero. */
export function buildHistory(input: HistoryInput): DayPoint[] {
  const { days, sizeNow, counts, snapshots } = input;
  const out: DayPoint[] = new Array<DayPoint>(days.length);
  let laterSize = sizeNow;
  let laterNet = 0;
  for (let i = days.length - 1; i >= 0; i--) {
    const day = days[i]!;
    const snap = i === days.length - 1 ? undefined : snapshots.get(day);
    const c = snap ?? counts.get(day) ?? { entered: 0, exited: 0 };
    const size = snap ? snap.size : Math.max(0, laterSize - laterNet);
    out[i] = { day, size, entered: c.entered, exited: c.exited };
    laterSize = size;
    laterNet = c.entered - c.exited;
  }
  return out;
}

/** Counts transitions per UTC day. */
export function countByDay(
  transitions: Iterable<{ kind: 'entered' | 'exited'; at: Date }>,
): Map<Day, { entered: number; exited: number }> {
  const m = new Map<Day, { entered: number; exited: number }>();
  for (const t of transitions) {
    const day = utcDay(t.at);
    let c = m.get(day);
    if (!c) m.set(day, (c = { entered: 0, exited: 0 }));
    c[t.kind]++;
  }
  return m;
}
