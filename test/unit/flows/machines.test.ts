/**
 * The built-in flows on a simulated clock: what each sends, when (in the contact's time zone
 * where it waits for a time of day), and which branch it takes on segment membership or a rule.
 */
import { FLOWS, flowById } from '../../../flows';
import { FlowSimulator } from './simulator';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-02T15:30:00Z'); // a Monday, 15:30 UTC
const iso = (ms: number) => new Date(ms).toISOString();
const machine = (id: string) => flowById(id)!.machine;
const facts =
  (segments: string[] = [], timezone = 'UTC', contact: Record<string, unknown> = {}) =>
  () => ({ segments, timezone, contact });

test('welcome: three messages, one a day, then done', () => {
  const sim = new FlowSimulator(machine('welcome'), T0, facts(['New This Week']));
  sim.advance(5 * DAY);
  expect(sim.effects.map((e) => [iso(e.at), (e.params as { template: string }).template])).toEqual([
    [iso(T0), 'welcome-1'],
    [iso(T0 + DAY), 'welcome-2'],
    [iso(T0 + 2 * DAY), 'welcome-3'],
  ]);
  expect(sim.done).toBe(true);
});

test("welcome when the bot's greeting was the welcome (BOT_WELCOME=greeting): the tip a day later, then the last", () => {
  const sim = new FlowSimulator(machine('welcome'), T0, facts(['New This Week']), 1, true);
  expect(sim.effects).toEqual([]);
  expect(sim.state).toBe('greeted');
  sim.advance(5 * DAY);
  expect(sim.effects.map((e) => [iso(e.at), (e.params as { template: string }).template])).toEqual([
    [iso(T0 + DAY), 'welcome-2'],
    [iso(T0 + 2 * DAY), 'welcome-3'],
  ]);
  expect(sim.done).toBe(true);
});

test('a time scale shrinks every wait alike', () => {
  const sim = new FlowSimulator(machine('welcome'), T0, facts(), 0.001);
  sim.advance(2 * DAY * 0.001);
  expect(sim.effects.map((e) => e.at - T0)).toEqual([0, DAY * 0.001, 2 * DAY * 0.001]);
});

test.each([
  ['UTC', '2026-03-03T10:00:00.000Z'],
  ['America/New_York', '2026-03-03T15:00:00.000Z'], // 10:00 EST = 15:00 UTC (15:30 UTC is 10:30 there)
  ['Asia/Tokyo', '2026-03-03T01:00:00.000Z'], // 00:30 JST now → 10:00 JST the same local day
  ['Not/AZone', '2026-03-03T10:00:00.000Z'], // unknown zone → UTC
])("re-engagement nudges at 10:00 in the contact's zone (%s)", (zone, expected) => {
  const sim = new FlowSimulator(machine('reengagement'), T0, facts([], zone));
  sim.advance(2 * DAY);
  expect(iso(sim.effects[0]!.at)).toBe(expected);
});

test('re-engagement: nudge, reminder 3 days later, "dormant" tag 7 days after that', () => {
  const sim = new FlowSimulator(machine('reengagement'), T0, facts());
  sim.advance(20 * DAY);
  const first = Date.parse('2026-03-03T10:00:00Z');
  expect(sim.effects.map((e) => [iso(e.at), e.type, e.params])).toEqual([
    [iso(first), 'sendMessage', { template: 'reengage-1' }],
    [iso(first + 3 * DAY), 'sendMessage', { template: 'reengage-2' }],
    [iso(first + 10 * DAY), 'addTag', { tag: 'dormant' }],
  ]);
});

test.each([
  [['At Risk'], ['retention-1', 'retention-2', 'setCustom'], 'followUp'],
  [[], ['retention-1'], 'recovered'],
])('retention: two days later, in %j → %j', (segments, effects, end) => {
  const sim = new FlowSimulator(machine('retention'), T0, facts(segments));
  sim.advance(3 * DAY);
  expect(sim.effects.map((e) => (e.params as { template?: string }).template ?? e.type)).toEqual(effects);
  expect(sim.state).toBe(end);
});

test('retention reads the segment at the time of the check, not at the start', () => {
  let segments = ['At Risk'];
  const sim = new FlowSimulator(machine('retention'), T0, () => ({ segments, timezone: 'UTC' }));
  segments = [];
  sim.advance(3 * DAY);
  expect(sim.state).toBe('recovered');
});

test.each([
  [{ openDeals: 2 }, ['sales-1', 'startHandoff'], 'handoff'],
  [{ openDeals: 0 }, ['sales-2'], 'nudge'],
])('sales follow-up at 10:00: %j → %j', (contact, effects, end) => {
  const sim = new FlowSimulator(machine('sales-follow-up'), T0, facts([], 'UTC', contact));
  sim.advance(HOUR);
  expect(sim.effects).toEqual([]);
  sim.advance(DAY);
  expect(sim.effects.map((e) => (e.params as { template?: string }).template ?? e.type)).toEqual(effects);
  expect(iso(sim.effects[0]!.at)).toBe('2026-03-03T10:00:00.000Z');
  expect(sim.state).toBe(end);
});

test('VIP onboarding: the welcome and the vipOnboarded flag at once', () => {
  const sim = new FlowSimulator(machine('vip-onboarding'), T0, facts());
  expect(sim.effects.map((e) => [e.type, e.params])).toEqual([
    ['sendMessage', { template: 'vip-1' }],
    ['setCustom', { key: 'vipOnboarded', value: true }],
  ]);
  expect(sim.done).toBe(true);
});

test('every flow names templates that exist in its catalogue entry, and only those', () => {
  for (const f of FLOWS) {
    const sim = new FlowSimulator(f.machine, T0, facts(['At Risk'], 'UTC', { openDeals: 1 }));
    sim.advance(30 * DAY);
    const used = sim.effects.flatMap((e) =>
      e.type === 'sendMessage' ? [(e.params as { template: string }).template] : [],
    );
    for (const t of used) expect(f.templates).toContain(t);
  }
});
