/** Daily history from the live size, per-day counts and snapshots: table tests of the pure walk. */
import { buildHistory, countByDay, lastDays, utcDay } from '../../../src/domain/reports/history';

const days = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'];
const counts = (o: Record<string, [number, number]>) =>
  new Map(Object.entries(o).map(([d, [entered, exited]]) => [d, { entered, exited }]));

test.each([
  {
    name: 'no changes: flat at the live size',
    sizeNow: 5,
    c: {},
    snaps: {},
    sizes: [5, 5, 5, 5],
  },
  {
    name: 'walks back by each later day net change',
    sizeNow: 10,
    c: { '2026-11-02': [3, 1], '2026-11-04': [4, 0] } as Record<string, [number, number]>,
    snaps: {},
    sizes: [4, 6, 6, 10],
  },
  {
    name: 'a snapshot is authoritative for its day and anchors the days before it',
    sizeNow: 10,
    c: { '2026-11-04': [1, 0] } as Record<string, [number, number]>,
    snaps: { '2026-11-02': { size: 20, entered: 5, exited: 0 } },
    sizes: [15, 20, 9, 10],
  },
  {
    name: 'never below zero (a feed missing older exits)',
    sizeNow: 1,
    c: { '2026-11-03': [5, 0] } as Record<string, [number, number]>,
    snaps: {},
    sizes: [0, 0, 1, 1],
  },
  {
    name: "today's snapshot (if any) is ignored: today is live",
    sizeNow: 7,
    c: {},
    snaps: { '2026-11-04': { size: 99, entered: 0, exited: 0 } },
    sizes: [7, 7, 7, 7],
  },
])('$name', ({ sizeNow, c, snaps, sizes }) => {
  const h = buildHistory({ days, sizeNow, counts: counts(c), snapshots: new Map(Object.entries(snaps)) });
  expect(h.map((p) => p.size)).toEqual(sizes);
  expect(h.map((p) => p.day)).toEqual(days);
});

test('entries and exits per day come from the snapshot where there is one, else the feed', () => {
  const h = buildHistory({
    days,
    sizeNow: 3,
    counts: counts({ '2026-11-02': [9, 9], '2026-11-03': [2, 1] }),
    snapshots: new Map([['2026-11-02', { size: 2, entered: 1, exited: 0 }]]),
  });
  expect(h.slice(1, 3)).toEqual([
    { day: '2026-11-02', size: 2, entered: 1, exited: 0 },
    { day: '2026-11-03', size: 3, entered: 2, exited: 1 },
  ]);
});

test('UTC days: lastDays ends today, countByDay splits at midnight UTC', () => {
  expect(lastDays(new Date('2026-03-01T23:59:59Z'), 3)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  expect(utcDay(new Date('2026-03-01T00:00:00+02:00'))).toBe('2026-02-28');
  const m = countByDay([
    { kind: 'entered', at: new Date('2026-03-01T23:59:59.999Z') },
    { kind: 'exited', at: new Date('2026-03-02T00:00:00.000Z') },
    { kind: 'entered', at: new Date('2026-03-02T10:00:00.000Z') },
  ]);
  expect(Object.fromEntries(m)).toEqual({
    '2026-03-01': { entered: 1, exited: 0 },
    '2026-03-02': { entered: 1, exited: 1 },
  });
});
