/** Freshness states: rebuild running / stuck / done, sweeper lag against the 5 s bound, lists. */
import { freshness } from '../../../src/domain/reports/freshness';

const now = new Date('2026-11-10T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const base = { type: 'dynamic' as const, now, rebuild: null, sweeperLagMs: 0, dispatcherLagMs: 40 };

test.each([
  ['no rebuild record, sweeper on time', {}, 'fresh', now.toISOString(), undefined],
  [
    'sweeper 5 s behind: still within the bound',
    { sweeperLagMs: 5000 },
    'fresh',
    ago(5000).toISOString(),
    undefined,
  ],
  [
    'sweeper 5.001 s behind',
    { sweeperLagMs: 5001 },
    'stale',
    ago(5001).toISOString(),
    ['sweeper 5001 ms behind'],
  ],
  [
    'a list ignores the sweeper',
    { type: 'static' as const, sweeperLagMs: 60_000 },
    'fresh',
    now.toISOString(),
    undefined,
  ],
  [
    'rebuild running for a minute: not yet exact, not stale',
    { rebuild: { done: false, requestedAt: ago(60_000), leaseUntil: new Date(now.getTime() + 20_000) } },
    'fresh',
    null,
    undefined,
  ],
  [
    'rebuild requested 6 minutes ago and unfinished: stuck',
    { rebuild: { done: false, requestedAt: ago(360_000), leaseUntil: new Date(now.getTime() + 20_000) } },
    'stale',
    null,
    ['rebuild stuck'],
  ],
  [
    'rebuild whose lease lapsed 11 s ago (its process died): stuck',
    { rebuild: { done: false, requestedAt: ago(40_000), leaseUntil: ago(11_000) } },
    'stale',
    null,
    ['rebuild stuck'],
  ],
  [
    'finished rebuild and a lagging sweeper',
    {
      rebuild: { done: true, requestedAt: ago(9000), leaseUntil: null },
      sweeperLagMs: 9000,
    },
    'stale',
    ago(9000).toISOString(),
    ['sweeper 9000 ms behind'],
  ],
  [
    'the audit finds two contacts whose stored membership disagrees with the rule',
    { audit: { count: 2, at: now } },
    'stale',
    now.toISOString(),
    ['2 contacts disagree with the rule'],
  ],
  ['the audit finds none', { audit: { count: 0, at: now } }, 'fresh', now.toISOString(), undefined],
  [
    'a rebuild running with disagreements: stale (members mix two rules)',
    {
      audit: { count: 1, at: now },
      rebuild: { done: false, requestedAt: ago(1000), leaseUntil: new Date(now.getTime() + 20_000) },
    },
    'stale',
    null,
    ['1 contact disagrees with the rule'],
  ],
])('%s', (_name, over, state, exactAsOf, reasons) => {
  const f = freshness({ ...base, ...over });
  expect(f.state).toBe(state);
  expect(f.exactAsOf).toBe(exactAsOf);
  expect(f.reasons).toEqual(reasons);
  expect(f.dispatcherLagMs).toBe(40);
});
