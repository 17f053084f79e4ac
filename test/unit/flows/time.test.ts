/** Waiting until a local time of day with Intl only, across zones and DST changes. */
import { msUntilLocalTime, zoneOrUtc } from '../../../flows';

const at = (iso: string) => Date.parse(iso);
test.each([
  ['2026-03-02T09:59:00Z', 'UTC', 10, '2026-03-02T10:00:00.000Z'],
  ['2026-03-02T10:00:00Z', 'UTC', 10, '2026-03-03T10:00:00.000Z'], // exactly then: the next day
  ['2026-03-02T23:00:00Z', 'Europe/Berlin', 9, '2026-03-03T08:00:00.000Z'], // CET = UTC+1
  // DST in Berlin starts 2026-03-29 02:00: 09:00 CEST is 07:00 UTC.
  ['2026-03-28T12:00:00Z', 'Europe/Berlin', 9, '2026-03-29T07:00:00.000Z'],
  // DST in New York starts 2026-03-08: 10:00 EDT is 14:00 UTC.
  ['2026-03-07T20:00:00Z', 'America/New_York', 10, '2026-03-08T14:00:00.000Z'],
  ['2026-06-01T00:00:00Z', 'Asia/Kolkata', 10, '2026-06-01T04:30:00.000Z'],
])('from %s in %s until %d:00 → %s', (from, zone, hour, expected) => {
  expect(new Date(at(from) + msUntilLocalTime(at(from), zone, hour)).toISOString()).toBe(expected);
});

test.each([
  ['Europe/Paris', 'Europe/Paris'],
  ['Mars/Olympus', 'UTC'],
  ['', 'UTC'],
  [42, 'UTC'],
  [undefined, 'UTC'],
])('zoneOrUtc(%j) = %s', (zone, expected) => expect(zoneOrUtc(zone)).toBe(expected));
