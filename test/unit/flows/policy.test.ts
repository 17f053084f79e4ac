/** Re-entry policies (once, every, cooldown) and one running instance per (flow, contact), as a table. */
import { formatMs, mayStart, parseDuration, type PriorInstances } from '../../../flows/policy';
import type { ReentryPolicy } from '../../../flows';

const DAY = 86_400_000;
const NOW = 100 * DAY;
const none: PriorInstances = { started: 0, lastStartedAt: null, running: false };
const ranAgo = (ms: number, started = 1): PriorInstances => ({
  started,
  lastStartedAt: NOW - ms,
  running: false,
});
const once: ReentryPolicy = { kind: 'once' };
const every: ReentryPolicy = { kind: 'every' };
const week: ReentryPolicy = { kind: 'cooldown', ms: 7 * DAY };

test.each<[string, ReentryPolicy, PriorInstances, boolean, RegExp | null]>([
  ['first entry, once', once, none, true, null],
  ['first entry, every', every, none, true, null],
  ['first entry, cooldown', week, none, true, null],
  ['once: ran a year ago', once, ranAgo(365 * DAY), false, /"once"/],
  ['every: ran a minute ago', every, ranAgo(60_000), true, null],
  ['every: still running', every, { ...ranAgo(60_000), running: true }, false, /already running/],
  ['cooldown: 6 days ago', week, ranAgo(6 * DAY), false, /less than 7d ago/],
  ['cooldown: exactly 7 days ago', week, ranAgo(7 * DAY), true, null],
  ['cooldown: 8 days ago, ran 5 times', week, ranAgo(8 * DAY, 5), true, null],
  [
    'once: running (dwelling) and never finished',
    once,
    { started: 0, lastStartedAt: null, running: true },
    false,
    null,
  ],
])('%s → %s', (_, policy, prior, start, reason) => {
  const d = mayStart(policy, prior, NOW);
  expect(d.start).toBe(start);
  if (!d.start && reason) expect(d.reason).toMatch(reason);
});

// FLOW_TIME_SCALE shrinks the cooldown like every wait: at 1 day → 1 s, 7 days are 7 s.
test.each<[string, PriorInstances, boolean]>([
  ['scaled cooldown: 6 scaled days ago', ranAgo(6000), false],
  ['scaled cooldown: 8 scaled days ago', ranAgo(8000), true],
])('%s → %s', (_, prior, start) => {
  const d = mayStart(week, prior, NOW, 1000 / DAY);
  expect(d.start).toBe(start);
  if (!d.start) expect(d.reason).toMatch(/less than 7d \(7s at time scale .*\) ago/);
});

test.each([
  ['10m', 600_000],
  ['7d', 7 * DAY],
  ['2h', 7_200_000],
  ['30s', 30_000],
  [' 1D ', DAY],
  ['0m', undefined],
  ['366d', undefined],
  ['10', undefined],
  ['10 minutes', undefined],
  ['-1d', undefined],
  ['1.5h', undefined],
])('parseDuration(%j) = %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

test.each([
  [7 * DAY, '7d'],
  [90 * 60_000, '90m'],
  [1500, '1500ms'],
])('formatMs(%d) = %s', (ms, text) => expect(formatMs(ms)).toBe(text));
