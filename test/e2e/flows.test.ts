/**
 * Workflows end to end: the whole app in-process, a TestChannel receiving the bot's proactive
 * messages, real Agenda timers (days scaled to under a second by FLOW_TIME_SCALE). A contact
 * created now enters "New This Week" and gets the three welcome messages in order; "stop" turns
 * the rest into `skipped` steps; leaving a segment stops re-engagement before its next message;
 * the REST API lists, binds, explains and cancels, and refuses bad input without changing anything.
 */
/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return --
   JSON bodies of HTTP responses: the assertions check them. */
import { ChannelUser, TestChannel } from '../../bot/cli/channel';
import type { App } from '../../src/app';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';
import { eventually, flowTexts, pause } from '../support/flowWait';

// 1 day → 1.3 s: the welcome sequence takes under 3 s.
const SCALE = 0.000015;
const DAY_MS = 86_400_000 * SCALE;
const WELCOME = /^(Welcome, \w+! Thanks for joining us|Tip of the day|One last thing)/;
let app: App;
let channel: TestChannel;
const api = apiClient(() => app);
const user = (userId: string) =>
  new ChannelUser(channel, { botUrl: `http://127.0.0.1:${app.port}/api/messages`, userId, userName: userId });
const contactIdOf = async (name: string) =>
  ((await api('GET', '/contacts?limit=200')).body.items as { _id: string; name: string }[]).find(
    (c) => c.name === name,
  )!._id;
const instancesOf = async (contactId: string) =>
  (await api('GET', `/flows/instances?contactId=${contactId}`)).body.items as Record<string, any>[];

beforeAll(async () => {
  app = await startTestApp('flows', {
    ADMIN_API_KEY: TEST_API_KEY,
    FLOW_TIME_SCALE: String(SCALE),
    FLOW_LOCK_MS: '2000',
    AGENDA_PROCESS_EVERY_MS: '100',
    FLOWS_BUILT_IN: 'true',
    // The welcome flow's first message is the welcome (the default leaves it to the bot's greeting).
    BOT_WELCOME: 'flow',
  });
  channel = await TestChannel.start();
  const created = await api('POST', '/segments', {
    name: 'New This Week',
    rule: 'createdAt within last 7 days',
  });
  expect(created.status).toBe(201);
});
afterAll(async () => {
  await channel?.close();
  if (app) await stopTestApp(app);
});

test('a contact created now enters "New This Week" and receives the three welcome messages in order', async () => {
  const ann = user('ann');
  await ann.send('hello');
  const got = await eventually(
    () => flowTexts(channel, ann.conversationId, WELCOME),
    (t) => t.length >= 3,
    4 * DAY_MS + 5000,
  );
  expect(got).toEqual([
    'Welcome, ann! Thanks for joining us. Type "help" any time.',
    'Tip of the day: type "offers" to see the best offer for you today.',
    'One last thing, ann: to talk to a person, just type "agent".',
  ]);
  const [inst] = await instancesOf(await contactIdOf('ann'));
  expect(inst).toMatchObject({ flowId: 'welcome', status: 'done', state: 'offer' });
  const explained = (await api('GET', `/flows/instances/${encodeURIComponent(inst!.id)}`)).body;
  expect(explained.history[0].detail).toMatch(
    /^entered "New This Week" at .* \(transition .*, cause contact\)$/,
  );
  expect(explained.steps.map((s: any) => [s.action, s.status])).toEqual([
    ['sendMessage', 'sent'],
    ['sendMessage', 'sent'],
    ['sendMessage', 'sent'],
  ]);
  // Re-entry policy "once": nothing starts again for ann.
  await pause(300);
  expect(await instancesOf(await contactIdOf('ann'))).toHaveLength(1);
});

test('"stop" after the first message: the remaining steps are recorded skipped and nothing more arrives', async () => {
  const bo = user('bo');
  await bo.send('hi');
  await eventually(
    () => flowTexts(channel, bo.conversationId, WELCOME),
    (t) => t.length >= 1,
  );
  await bo.send('stop');
  const id = await contactIdOf('bo');
  const [inst] = await eventually(
    () => instancesOf(id),
    (l) => l[0]?.status === 'done',
    4 * DAY_MS + 5000,
  );
  const steps = (await api('GET', `/flows/instances/${encodeURIComponent(inst!.id)}`)).body.steps;
  expect(steps.map((s: any) => s.status)).toEqual(['sent', 'skipped', 'skipped']);
  expect(steps[1].detail).toBe('welcome-2: opted out');
  expect(flowTexts(channel, bo.conversationId, WELCOME)).toHaveLength(1);
});

test('leaving the segment stops re-engagement before its next message', async () => {
  const quiet = await api('POST', '/segments', { name: 'Quiet', rule: 'tag = "quiet"' });
  expect(quiet.status).toBe(201);
  const bound = await api('POST', '/flows/bindings', {
    flow: 'Re-engagement',
    segment: 'Quiet',
    reentry: 'every',
    stopOnExit: true,
  });
  expect(bound.status).toBe(201);
  const cy = user('cy');
  await cy.send('hi');
  const id = await contactIdOf('cy');
  await api('POST', `/contacts/${id}/tags`, { add: ['quiet'] });
  await eventually(
    () => flowTexts(channel, cy.conversationId, /missed you/),
    (t) => t.length === 1,
    DAY_MS + 5000,
  );
  await api('POST', `/contacts/${id}/tags`, { remove: ['quiet'] });
  const stopped = await eventually(
    async () => (await instancesOf(id)).find((i) => i.flowId === 'reengagement'),
    (i) => i?.status === 'cancelled',
  );
  expect(stopped!.nextWakeAt).toBeNull();
  // The reminder was due 3 "days" after the nudge: wait past it.
  await pause(3 * DAY_MS + 1500);
  expect(flowTexts(channel, cy.conversationId, /Still there\?/)).toEqual([]);
  const explained = (await api('GET', `/flows/instances/${encodeURIComponent(stopped!.id)}`)).body;
  expect(explained.history.at(-1)).toMatchObject({ kind: 'cancelled' });
  expect(explained.history.at(-1).detail).toMatch(/^stopped: exited "Quiet"/);
});

test('REST: flows with their bindings; bad bindings are 400s that change nothing; disable; cancel', async () => {
  const flows = (await api('GET', '/flows')).body.items as Record<string, any>[];
  expect(flows.map((f) => f.id)).toEqual([
    'welcome',
    'reengagement',
    'retention',
    'vip-onboarding',
    'sales-follow-up',
  ]);
  expect(flows[0]!.bindings[0]).toMatchObject({
    segmentName: 'New This Week',
    on: 'entered',
    reentry: { kind: 'once' },
  });
  expect((await api('POST', '/segments', { name: 'Rest', rule: 'tag = "rest"' })).status).toBe(201);
  expect((await api('POST', '/flows/bindings', { flow: 'retention', segment: 'Rest' })).status).toBe(201);
  const before = (await api('GET', '/flows/bindings')).body.items.length;
  const bad: [unknown, string][] = [
    [{ flow: 'nope', segment: 'Quiet' }, 'UNKNOWN_FLOW'],
    [{ flow: 'welcome', segment: 'No Such Segment' }, 'NOT_FOUND'],
    [{ flow: 'welcome', segment: 'Rest', reentry: 'cooldown' }, 'VALIDATION_FAILED'],
    [{ flow: 'welcome', segment: 'Rest', reentry: 'every', cooldown: '7d' }, 'VALIDATION_FAILED'],
    [{ flow: 'welcome', segment: 'Rest', dwell: '10 minutes' }, 'VALIDATION_FAILED'],
    [{ flow: 'welcome', segment: 'Rest', on: 'left' }, 'VALIDATION_FAILED'],
    [{ flow: 'welcome', segment: 'Rest', $where: '1' }, 'VALIDATION_FAILED'],
    [{ flow: 'Retention outreach', segment: 'rest' }, 'CONFLICT'],
  ];
  for (const [body, code] of bad) {
    const r = await api('POST', '/flows/bindings', body);
    expect([r.status, r.body.error.code]).toEqual([
      code === 'NOT_FOUND' ? 404 : code === 'CONFLICT' ? 409 : 400,
      code,
    ]);
  }
  expect((await api('GET', '/flows/bindings')).body.items).toHaveLength(before);
  expect((await api('GET', '/flows/instances')).status).toBe(400);
  expect((await api('POST', '/flows/instances/nope/cancel')).status).toBe(404);

  // A binding with a dwell: the instance waits, then a cancel ends it before it starts.
  const vip = await api('POST', '/segments', { name: 'Tagged VIP', rule: 'tag = "vip2"' });
  const b = await api('POST', '/flows/bindings', {
    flow: 'vip-onboarding',
    segment: vip.body._id,
    dwell: '1d',
  });
  expect(b.body).toMatchObject({ segmentId: vip.body._id, dwellMs: 86_400_000, enabled: true });
  const id = (await api('POST', '/contacts', { name: 'Dee', email: 'dee@example.com', tags: ['vip2'] })).body
    ._id;
  const [inst] = await eventually(
    async () => (await instancesOf(id)).filter((i) => i.flowId === 'vip-onboarding'),
    (l) => l[0]?.status === 'dwelling',
  );
  expect(inst!.status).toBe('dwelling');
  const cancelled = await api('POST', `/flows/instances/${encodeURIComponent(inst!.id)}/cancel`);
  expect(cancelled.body).toMatchObject({ status: 'cancelled' });
  expect((await api('POST', `/flows/instances/${encodeURIComponent(inst!.id)}/cancel`)).body.error.code).toBe(
    'FLOW_NOT_RUNNING',
  );
  const off = await api('PATCH', `/flows/bindings/${b.body._id}`, { enabled: false });
  expect(off.body.enabled).toBe(false);
  expect((await api('PATCH', `/flows/bindings/${b.body._id}`, { enabled: 'no' })).status).toBe(400);
  await pause(DAY_MS + 500);
  const contact = (await api('GET', `/contacts/${id}`)).body;
  expect(contact.custom.vipOnboarded).toBeUndefined();
});
