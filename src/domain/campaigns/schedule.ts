/**
 * Schedules and quiet hours as pure functions of time (UTC). A recurring campaign's next
 * occurrence is the first matching time strictly after `after`; quiet hours say whether sending
 * must wait now and until when.
 */
import type { QuietHours, Schedule } from './types';

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_MS = 86_400_000;

/** `HH:MM` → minutes after midnight; undefined when malformed. */
export function parseTime(text: string): number | undefined {
  const m = TIME.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

function minutesOf(text: string): number {
  const m = parseTime(text);
  if (m === undefined) throw new Error(`not a time of day: ${text}`);
  return m;
}

/** The first time the schedule fires strictly after `after`; null when it never fires again. */
export function nextOccurrence(schedule: Schedule, after: Date): Date | null {
  if (schedule.kind === 'now') return null;
  if (schedule.kind === 'at') return schedule.at.getTime() > after.getTime() ? schedule.at : null;
  const dayStart = Math.floor(after.getTime() / DAY_MS) * DAY_MS;
  const at = minutesOf(schedule.time) * 60_000;
  for (let d = 0; d <= 8; d++) {
    const t = dayStart + d * DAY_MS + at;
    if (t <= after.getTime()) continue;
    if (schedule.kind === 'weekly' && new Date(t).getUTCDay() !== schedule.weekday) continue;
    return new Date(t);
  }
  return null; // unreachable for a valid schedule
}

/** When the first occurrence is due for a campaign started at `now`. */
export function firstOccurrence(schedule: Schedule, now: Date): Date | null {
  if (schedule.kind === 'now') return now;
  if (schedule.kind === 'at') return schedule.at.getTime() > now.getTime() ? schedule.at : now;
  return nextOccurrence(schedule, now);
}

/** Undefined when sending is allowed at `now`; otherwise the instant the quiet window ends. */
export function quietUntil(quiet: QuietHours | undefined, now: Date): Date | undefined {
  if (!quiet) return undefined;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const dayStart = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const minute = (now.getTime() - dayStart) / 60_000;
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return undefined;
  const endToday = dayStart + end * 60_000;
  return new Date(endToday > now.getTime() ? endToday : endToday + DAY_MS);
}
