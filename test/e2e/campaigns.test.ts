/**
 * Campaigns through the whole app (REST API, real Agenda jobs, the real proactive sender and a
 * real channel on a loopback port): validation, a run to completion with opted-out and
 * unreachable contacts skipped, a dead channel failed with its reason, an excluded segment,
 * pause/resume and cancel mid-run with the channel's own count checked, and reply attribution.
 */
import { ChannelUser, TestChannel } from '../../bot/cli/channel';
import type { App } from '../../src/app';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';
import { receivedPerConversation, seedRecipients } from '../support/campaignFixture';
import { waitUntil } from '../support/processes';

jest.setTimeout(60_000);
const WS = 'default';
let app: App;
let channel: TestChannel;
const api = apiClient(() => app);

beforeAll(async () => {
  app = await startTestApp('campaigns', {
    ADMIN_API_KEY: TEST_API_KEY,
    AGENDA_PROCESS_EVERY_MS: '100',
    PROACTIVE_SEND_TIMEOUT_MS: '3000',
    CAMPAIGN_LOCK_MS: '2000',
  });
  channel = await TestChannel.start();
});
afterAll(async () => {
  await channel?.close();
  if (app) await stopTestApp(app);
});

async function list(name: string): Promise<string> {
  const r = await api('POST', '/segments', { name, type: 'static' });
  expect(r.status).toBe(201);
  return r.body._id as string;
}

async function untilStatus(id: string, statuses: string[], ms = 30_000) {
  let body: Record<string, any> = {};
  const ok = await waitUntilAsync(async () => {
    body = (await api('GET', `/campaigns/${id}`)).body;
    return statuses.includes(body.status as string);
  }, ms);
  if (!ok) throw new Error(`campaign still ${String(body.status)}: ${JSON.stringify(body.counts)}`);
  return body;
}

async function waitUntilAsync(cond: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}

const create = (body: Record<string, unknown>) => api('POST', '/campaigns', body);

test('bad input is a clear 400 and creates nothing', async () => {
  const seg = await list('Validation List');
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [
      { name: 'A', audience: { segment: seg }, template: { text: 'Hi {{contact.nmae}}' } },
      'TEMPLATE_INVALID',
      /nmae/,
    ],
    [
      { name: 'A', audience: { segment: seg }, template: { text: 'Hi {{#if}}' } },
      'TEMPLATE_INVALID',
      /compile/,
    ],
    [{ name: 'A', audience: { segment: 'Nope' }, template: { text: 'Hi' } }, 'SEGMENT_NOT_FOUND', /Nope/],
    [
      { name: 'A', audience: { segment: seg }, template: { file: 'missing' } },
      'VALIDATION_FAILED',
      /missing\.hbs/,
    ],
    [
      { name: 'A', audience: { segment: seg }, template: { text: 'x' }, ratePerSecond: 0 },
      'VALIDATION_FAILED',
      /ratePerSecond/,
    ],
    [
      {
        name: 'A',
        audience: { segment: seg },
        template: { text: 'x' },
        schedule: { kind: 'daily', time: '25:00' },
      },
      'VALIDATION_FAILED',
      /schedule\.time/,
    ],
    [
      { name: 'A', audience: { segment: seg }, template: { text: 'x' }, $where: '1' },
      'VALIDATION_FAILED',
      /\$where|Unrecognized/,
    ],
  ];
  for (const [body, code, message] of cases) {
    const r = await create(body);
    expect([r.status, r.body.error.code]).toEqual([400, code]);
    expect(r.body.error.message).toMatch(message);
  }
  expect((await api('GET', '/campaigns')).body.items).toEqual([]);
  const ok = await create({
    name: 'From file',
    audience: { segment: 'Validation List' },
    template: { file: 'win-back' },
  });
  expect(ok.status).toBe(201);
  expect(ok.body).toMatchObject({ status: 'draft', template: { file: 'win-back' } });
  expect(
    (await create({ name: 'from FILE', audience: { segment: seg }, template: { text: 'x' } })).status,
  ).toBe(409);
  const wrong = await api('POST', `/campaigns/${ok.body._id as string}/resume`);
  expect([wrong.status, wrong.body.error.code]).toEqual([409, 'CAMPAIGN_STATE']);
});

test('a run: sent once each, opted-out and unreferenced skipped, excluded left out, replies attributed', async () => {
  const seg = await list('Run List');
  const excluded = await list('Run Excluded');
  const people = await seedRecipients(app.conn.db!, WS, 60, {
    prefix: 'run',
    segmentIds: [seg],
    serviceUrl: channel.serviceUrl,
    optedOut: (i) => i % 10 === 1,
    noRef: (i) => i % 10 === 2,
  });
  await seedRecipients(app.conn.db!, WS, 5, {
    prefix: 'exc',
    segmentIds: [seg, excluded],
    serviceUrl: channel.serviceUrl,
  });
  // A real user who talked to the bot (so a reply of theirs comes through the turn pipeline).
  const ria = new ChannelUser(channel, {
    botUrl: `http://127.0.0.1:${app.port}/api/messages`,
    userId: 'ria',
  });
  await ria.send('hi');
  const riaId = (
    (await api('GET', '/contacts?limit=200')).body.items as { _id: string; name: string }[]
  ).find((c) => c.name === 'ria')!._id;
  await api('POST', `/segments/${seg}/members`, { contactIds: [riaId] });

  const c = await create({
    name: 'Spring sale',
    audience: { segment: 'Run List', exclude: excluded },
    template: { text: 'Hi {{contact.name}}, spring sale!' },
    ratePerSecond: 500,
  });
  expect(c.status).toBe(201);
  const mark = channel.received.length;
  expect((await api('POST', `/campaigns/${c.body._id as string}/start`)).status).toBe(200);
  const done = await untilStatus(c.body._id as string, ['completed']);
  const failedOnes = (await api('GET', `/campaigns/${c.body._id as string}/deliveries?status=failed`)).body
    .items;
  expect(failedOnes.map((d: { reason: string }) => d.reason).slice(0, 2)).toEqual([]);
  expect(done.counts).toMatchObject({ total: 61, sent: 49, skipped: 12, failed: 0, unknown: 0, pending: 0 });

  const got = receivedPerConversation(channel.received.slice(mark));
  for (const [i, p] of people.entries())
    expect([i, got.get(p.conversationId) ?? 0]).toEqual([i, i % 10 === 1 || i % 10 === 2 ? 0 : 1]);
  expect([...got.keys()].filter((k) => k.startsWith('conv-exc'))).toEqual([]);
  expect(channel.receivedIn(ria.conversationId, mark).map((a) => a.text)).toEqual(['Hi ria, spring sale!']);

  const skipped = (await api('GET', `/campaigns/${c.body._id as string}/deliveries?status=skipped&limit=500`))
    .body;
  expect(new Set((skipped.items as { reason: string }[]).map((d) => d.reason))).toEqual(
    new Set(['opted out', 'no conversation reference']),
  );
  const page = await api('GET', `/campaigns/${c.body._id as string}/deliveries?limit=20`);
  expect(page.body.items).toHaveLength(20);
  const next = await api(
    'GET',
    `/campaigns/${c.body._id as string}/deliveries?limit=500&cursor=${page.body.nextCursor as string}`,
  );
  expect(next.body.items).toHaveLength(41);
  expect((await api('GET', `/campaigns/${c.body._id as string}/deliveries?status=lost`)).status).toBe(400);

  await ria.send('how much off?');
  const after = (await api('GET', `/campaigns/${c.body._id as string}`)).body;
  expect(after.counts.replied).toBe(1);
  expect(after.replyRate).toBeCloseTo(1 / 49);
});

test('a dead channel: failed with the reason', async () => {
  const seg = await list('Dead List');
  const dead = await TestChannel.start();
  await dead.close();
  await seedRecipients(app.conn.db!, WS, 3, {
    prefix: 'dead',
    segmentIds: [seg],
    serviceUrl: dead.serviceUrl,
  });
  const c = await create({ name: 'Into the void', audience: { segment: seg }, template: { text: 'Hello?' } });
  await api('POST', `/campaigns/${c.body._id as string}/start`);
  const done = await untilStatus(c.body._id as string, ['completed']);
  expect(done.counts).toMatchObject({ total: 3, failed: 3, sent: 0 });
  const items = (await api('GET', `/campaigns/${c.body._id as string}/deliveries?status=failed`)).body.items;
  for (const d of items) expect(d.reason).toMatch(/ECONNREFUSED|no answer from the channel within 3000 ms/);
});

test('pause mid-run stops sending; resume finishes: none twice, none missing; cancel stops for good', async () => {
  const seg = await list('Paced List');
  const people = await seedRecipients(app.conn.db!, WS, 300, {
    prefix: 'pace',
    segmentIds: [seg],
    serviceUrl: channel.serviceUrl,
  });
  const convs = new Set(people.map((p) => p.conversationId));
  const mine = () => channel.received.filter((a) => convs.has(a.conversation?.id ?? '')).length;
  const c = await create({
    name: 'Paced',
    audience: { segment: seg },
    template: { text: 'Paced' },
    ratePerSecond: 100,
  });
  const id = c.body._id as string;
  await api('POST', `/campaigns/${id}/start`);
  expect(await waitUntil(() => mine() >= 50, 20_000)).toBe(true);
  expect((await api('POST', `/campaigns/${id}/pause`)).body.status).toBe('paused');
  await new Promise((r) => setTimeout(r, 300));
  const atPause = mine();
  await new Promise((r) => setTimeout(r, 700));
  expect(mine()).toBe(atPause);
  expect(atPause).toBeLessThan(300);
  expect((await api('POST', `/campaigns/${id}/resume`)).body.status).toBe('running');
  const done = await untilStatus(id, ['completed']);
  expect(done.counts).toMatchObject({ total: 300, sent: 300 });
  const got = receivedPerConversation(channel.received);
  expect(people.filter((p) => got.get(p.conversationId) !== 1)).toEqual([]);

  const cseg = await list('Cancel List');
  const more = await seedRecipients(app.conn.db!, WS, 300, {
    prefix: 'cancel',
    segmentIds: [cseg],
    serviceUrl: channel.serviceUrl,
  });
  const cconvs = new Set(more.map((p) => p.conversationId));
  const cmine = () => channel.received.filter((a) => cconvs.has(a.conversation?.id ?? '')).length;
  const k = await create({
    name: 'Cancelled',
    audience: { segment: cseg },
    template: { text: 'Oops' },
    ratePerSecond: 100,
  });
  await api('POST', `/campaigns/${k.body._id as string}/start`);
  expect(await waitUntil(() => cmine() >= 30, 20_000)).toBe(true);
  expect((await api('POST', `/campaigns/${k.body._id as string}/cancel`)).body.status).toBe('cancelled');
  await new Promise((r) => setTimeout(r, 300));
  const atCancel = cmine();
  await new Promise((r) => setTimeout(r, 700));
  expect(cmine()).toBe(atCancel);
  const final = (await api('GET', `/campaigns/${k.body._id as string}`)).body;
  expect(final.counts.total).toBe(300);
  expect(final.counts.sent).toBe(atCancel);
  expect(final.counts.skipped).toBe(300 - atCancel);
  expect((await api('POST', `/campaigns/${k.body._id as string}/resume`)).status).toBe(409);
});
