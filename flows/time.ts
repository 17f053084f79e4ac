/**
 * Wall-clock arithmetic in a contact's time zone with `Intl` only: how long from an instant until
 * the next given local time of day. An unknown zone falls back to UTC.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** A valid IANA zone name, else "UTC". */
export function zoneOrUtc(zone: unknown): string {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return 'UTC';
  try {
    formatterFor(zone);
    return zone;
  } catch {
    return 'UTC';
  }
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The local wall time of `ms` in `zone`, read as if it were UTC (epoch ms). */
function localAsUtc(ms: number, zone: string): number {
  const parts = Object.fromEntries(
    formatterFor(zone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const at = (k: string) => parts[k] ?? 0;
  return Date.UTC(at('year'), at('month') - 1, at('day'), at('hour'), at('minute'), at('second'));
}

/**
 * Milliseconds from `nowMs` until the next `hour:minute` local time in `zone` (0 < result ≤ 1 day,
 * give or take a DST change). Exactly at that time counts as "next day": a flow that waits until
 * 10:00 and is stepped at 10:00 waits a day rather than looping.
 */
export function msUntilLocalTime(nowMs: number, zone: string, hour: number, minute = 0): number {
  const z = zoneOrUtc(zone);
  const localNow = localAsUtc(nowMs, z);
  const offset = localNow - nowMs;
  const day = Date.UTC(
    new Date(localNow).getUTCFullYear(),
    new Date(localNow).getUTCMonth(),
    new Date(localNow).getUTCDate(),
  );
  let target = day + (hour * 60 + minute) * 60_000;
  if (target <= localNow) target += 86_400_000;
  // Local → UTC with the offset at the target (it differs from now's across a DST change).
  let utc = target - offset;
  utc = target - (localAsUtc(utc, z) - utc);
  return Math.max(1, utc - nowMs);
}
