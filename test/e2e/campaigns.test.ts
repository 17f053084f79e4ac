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
    PROACTIVE_SEND_TIMEOUT_MS: '10000', // a loaded 2-core machine: only a dead channel may fail
    CAMPAIGN_LOCK_MS: '5000',
    BOT_ADMINS: 'boss',
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

interface Stamp {
  n: number;
  t: number;
}

/**
 * After a pause or cancel (at 100 messages/s): messages already handed to the channel (at most the concurrency, 32)
 * still arrive and are recorded; once none is `sending`, nothing more arrives.
 */
async function settledAfterStop(id: string, count: () => number, before: Stamp): Promise<number> {
  const allowed = 32 + Math.ceil(((Date.now() - before.t) / 1000) * 100); // 100/s while the call ran
  const idle = async () => (await api('GET', `/campaigns/${id}`)).body.counts.sending === 0;
  expect(await waitUntilAsync(idle, 15_000)).toBe(true);
  const settled = count();
  expect(settled - before.n).toBeLessThanOrEqual(allowed);
  await new Promise((r) => setTimeout(r, 700));
  expect(count()).toBe(settled);
  return settled;
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
  for (const d of items) expect(d.reason).toMatch(/ECONNREFUSED/);
});

test('pause mid-run stops sending; resume finishes: none twice, none missing; cancel stops for good', async () => {
  const seg = await list('Paced List');
  const people = await seedRecipients(app.conn.db!, WS, 200, {
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
  const beforePause = { n: mine(), t: Date.now() };
  expect((await api('POST', `/campaigns/${id}/pause`)).body.status).toBe('paused');
  const atPause = await settledAfterStop(id, mine, beforePause);
  expect(atPause).toBeLessThan(200);
  expect((await api('POST', `/campaigns/${id}/resume`)).body.status).toBe('running');
  const done = await untilStatus(id, ['completed']);
  expect(done.counts).toMatchObject({ total: 200, sent: 200 });
  const got = receivedPerConversation(channel.received);
  expect(people.filter((p) => got.get(p.conversationId) !== 1)).toEqual([]);

  const cseg = await list('Cancel List');
  const more = await seedRecipients(app.conn.db!, WS, 200, {
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
  const beforeCancel = { n: cmine(), t: Date.now() };
  expect((await api('POST', `/campaigns/${k.body._id as string}/cancel`)).body.status).toBe('cancelled');
  const atCancel = await settledAfterStop(k.body._id as string, cmine, beforeCancel);
  const final = (await api('GET', `/campaigns/${k.body._id as string}`)).body;
  expect(final.counts.total).toBe(200);
  expect(final.counts.sent).toBe(atCancel);
  expect(final.counts.skipped).toBe(200 - atCancel);
  expect((await api('POST', `/campaigns/${k.body._id as string}/resume`)).status).toBe(409);
});

test('a scheduled instant runs then; quiet hours hold a run until they end', async () => {
  const seg = await list('Timed List');
  const people = await seedRecipients(app.conn.db!, WS, 5, {
    prefix: 'timed',
    segmentIds: [seg],
    serviceUrl: channel.serviceUrl,
  });
  const at = new Date(Date.now() + 1500);
  const c = await create({
    name: 'Timed',
    audience: { segment: seg },
    template: { text: 'On time' },
    schedule: { kind: 'at', at: at.toISOString() },
  });
  const started = (await api('POST', `/campaigns/${c.body._id as string}/start`)).body;
  expect(started).toMatchObject({ status: 'scheduled', nextRunAt: at.toISOString() });
  const done = await untilStatus(c.body._id as string, ['completed']);
  expect(done.counts.sent).toBe(5);
  const firstArrival = channel.received.find((a) => a.conversation?.id === people[0]!.conversationId);
  expect(
    Date.parse((firstArrival?.timestamp as string | undefined) ?? at.toISOString()),
  ).toBeGreaterThanOrEqual(at.getTime() - 1000);

  // Quiet from now to an hour from now (UTC): the run waits, its job is due when they end.
  const hhmm = (t: Date) => t.toISOString().slice(11, 16);
  const now = new Date();
  const q = await create({
    name: 'Quiet',
    audience: { segment: seg },
    template: { text: 'Shh' },
    quietHours: {
      start: hhmm(new Date(now.getTime() - 60_000)),
      end: hhmm(new Date(now.getTime() + 3_600_000)),
    },
  });
  await api('POST', `/campaigns/${q.body._id as string}/start`);
  const jobs = app.conn.db!.collection<{ name: string; nextRunAt: Date | null }>('agendaJobs');
  expect(
    await waitUntilAsync(
      async () =>
        (await jobs.findOne({ name: 'campaign.run', nextRunAt: { $gt: new Date(Date.now() + 600_000) } })) !==
        null,
      15_000,
    ),
  ).toBe(true);
  const held = (await api('GET', `/campaigns/${q.body._id as string}`)).body;
  expect(held).toMatchObject({ status: 'running', counts: { total: 5, pending: 5, sent: 0 } });
  await api('POST', `/campaigns/${q.body._id as string}/cancel`);
});

test('admin chat commands: create, start, status; others are refused', async () => {
  const botUrl = `http://127.0.0.1:${app.port}/api/messages`;
  const boss = new ChannelUser(channel, { botUrl, userId: 'boss' });
  const texts = async (text: string) => (await boss.send(text)).replies.map((a) => a.text ?? '').join('\n');
  const seg = await list('Chat List');
  await seedRecipients(app.conn.db!, WS, 4, {
    prefix: 'chat',
    segmentIds: [seg],
    serviceUrl: channel.serviceUrl,
  });
  expect(await texts('/campaign create "Chat promo" to "Chat List" say "Hi {{contact.name}}!"')).toMatch(
    /Created the campaign "Chat promo"/,
  );
  expect(await texts('/campaign create "Typo" to "Chat List" say "Hi {{contact.nam}}"')).toMatch(
    /"nam" not defined/,
  );
  expect(await texts('/campaign start "Chat promo"')).toMatch(/Started "Chat promo"/);
  const id = ((await api('GET', '/campaigns')).body.items as { _id: string; name: string }[]).find(
    (c) => c.name === 'Chat promo',
  )!._id;
  await untilStatus(id, ['completed']);
  expect(await texts('/campaign status')).toMatch(
    /Chat promo: completed \(run completed\)\. 4 recipients: 4 sent/,
  );
  expect(await texts('/campaign pause "Chat promo"')).toMatch(/is completed: it cannot pause/);
  expect(await texts('/campaign launch')).toMatch(/Unknown campaign command/);
  const eve = new ChannelUser(channel, { botUrl, userId: 'eve' });
  const refused = (await eve.send('/campaign cancel "Chat promo"')).replies.map((a) => a.text).join(' ');
  expect(refused).toMatch(/only for admins/);
  expect((await api('GET', `/campaigns/${id}`)).body.status).toBe('completed');
});
