/**
 * Reports through the whole app over real HTTP: the comparison table and history from a known
 * data set (contacts and purchases through the API), valid SVG charts that carry the data, the
 * 4xx answers for bad input, the snapshot job scheduled in Agenda, `/report` by chat with the
 * chart attached, and `/metrics` in Prometheus text format behind METRICS_TOKEN.
 */
import { XMLValidator } from 'fast-xml-parser';
import { ChannelUser, TestChannel } from '../../bot/cli/channel';
import type { App } from '../../src/app';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';

const METRICS_TOKEN = 'metrics-token-0123456789';
let app: App;
let channel: TestChannel;
const api = apiClient(() => app);
const ids: Record<string, string> = {};

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const raw = (path: string, headers: Record<string, string> = { authorization: `Bearer ${TEST_API_KEY}` }) =>
  fetch(`http://127.0.0.1:${app.port}${path}`, { headers });

beforeAll(async () => {
  app = await startTestApp('reports', {
    ADMIN_API_KEY: TEST_API_KEY,
    BOT_ADMINS: 'chat-admin',
    METRICS_TOKEN,
    AGENDA_PROCESS_EVERY_MS: '200',
  });
  channel = await TestChannel.start();
  const people = [
    { externalId: 'a', name: 'Ann', leadScore: 90, spend: 6000 },
    { externalId: 'b', name: 'Bob', leadScore: 30, spend: 2000, optedOut: true },
    { externalId: 'c', name: 'Cy', leadScore: 10 },
  ];
  for (const { spend, ...p } of people) {
    const c = (await api('POST', '/contacts', p)).body;
    ids[p.name] = c._id as string;
    if (spend)
      await api('POST', '/events', [
        {
          eventId: `buy-${p.externalId}`,
          contactId: c._id,
          type: 'purchase',
          data: { amount: spend, currency: 'EUR' },
        },
      ]);
  }
  for (const [name, rule] of [
    ['Buyers', 'purchaseCount >= 1'],
    ['Scored', 'leadScore exists'],
  ] as const)
    ids[name] = (await api('POST', '/segments', { name, rule })).body._id as string;
  // Both rebuilds done: the report's freshness says so.
  await until(
    () => api('GET', '/reports/segments'),
    (r) => (r.body.segments as any[]).every((s) => s.freshness.rebuild?.state === 'done'),
  );
});
afterAll(async () => {
  await channel?.close();
  if (app) await stopTestApp(app);
});

test('comparison table: exact numbers from the known data set', async () => {
  const r = await api('GET', `/reports/compare?segments=${ids.Buyers},${ids.Scored}`);
  expect(r.status).toBe(200);
  expect(r.body.rows).toEqual([
    {
      id: ids.Buyers,
      name: 'Buyers',
      members: 2,
      avgLifetimeValue: 4000,
      avgLeadScore: 60,
      conversationsPerMember: 0,
      handoffs: 0,
      optedOutShare: 0.5,
      deliveryRate: null,
      replyRate: null,
      asOf: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    },
    {
      id: ids.Scored,
      name: 'Scored',
      members: 3,
      avgLifetimeValue: 8000 / 3,
      avgLeadScore: 130 / 3,
      conversationsPerMember: 0,
      handoffs: 0,
      optedOutShare: 1 / 3,
      deliveryRate: null,
      replyRate: null,
      asOf: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    },
  ]);
});

test('sizes, 30 days of history and freshness for every segment; 90 days with entries for one', async () => {
  const all = await api('GET', '/reports/segments');
  const buyers = (all.body.segments as any[]).find((s) => s.id === ids.Buyers);
  expect(buyers).toMatchObject({
    name: 'Buyers',
    size: 2,
    freshness: { state: 'fresh', dispatcherLagMs: expect.any(Number) },
  });
  expect(buyers.history).toHaveLength(30);
  const today = new Date().toISOString().slice(0, 10);
  expect(buyers.history.at(-1)).toEqual({ day: today, size: 2 });
  expect(buyers.history[0].size).toBe(0); // the segment did not exist 29 days ago

  const one = await api('GET', `/reports/segments/${ids.Scored}`);
  expect(one.body).toMatchObject({ id: ids.Scored, name: 'Scored', size: 3 });
  expect(one.body.history).toHaveLength(90);
  expect(one.body.history.at(-1)).toEqual({ day: today, size: 3, entered: 3, exited: 0 });
  expect((await api('GET', `/reports/segments/${ids.Scored}?days=7`)).body.history).toHaveLength(7);
});

test('charts are valid SVG documents that carry the data', async () => {
  const res = await raw(`/api/v1/reports/segments/${ids.Scored}/chart.svg?days=14`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
  const svg = await res.text();
  expect(XMLValidator.validate(svg)).toBe(true);
  expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg).toContain('Scored: members per day');
  // Every point is labelled with its day and size: 14 days, the last (today) with 3 members.
  const points = new Set(svg.match(/aria-label="day: [A-Z][a-z]{2} \d\d, \d{4}; members: \d+"/g));
  expect(points.size).toBe(14);
  const d = new Date();
  const today = `${d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })} ${String(d.getUTCDate()).padStart(2, '0')}, ${d.getUTCFullYear()}`;
  expect(points).toContain(`aria-label="day: ${today}; members: 3"`);

  const cmp = await raw(
    `/api/v1/reports/compare/chart.svg?segments=${ids.Buyers},${ids.Scored}&metric=avgLeadScore`,
  );
  expect(cmp.status).toBe(200);
  const bars = await cmp.text();
  expect(XMLValidator.validate(bars)).toBe(true);
  expect(bars).toContain('average lead score');
  expect(bars).toContain('aria-label="average lead score: 60; segment: Buyers"');
  expect(bars).toMatch(/aria-label="average lead score: 43\.3+\d*; segment: Scored"/);
});

test('bad input: a clear 4xx with a stable code, and nothing else', async () => {
  const cases: [string, number, string, string?][] = [
    [`/reports/segments/${ids.Buyers}?days=0`, 400, 'VALIDATION_FAILED', 'days'],
    [`/reports/segments/${ids.Buyers}?days=abc`, 400, 'VALIDATION_FAILED', 'days'],
    ['/reports/segments?days=366', 400, 'VALIDATION_FAILED', 'days'],
    ['/reports/compare', 400, 'VALIDATION_FAILED', 'segments'],
    ['/reports/compare?segments=,', 400, 'VALIDATION_FAILED', 'segments'],
    [`/reports/compare/chart.svg?segments=${ids.Buyers}&metric=$where`, 400, 'VALIDATION_FAILED', 'metric'],
    [`/reports/compare?segments=${ids.Buyers}&maxAge=-1`, 400, 'VALIDATION_FAILED', 'maxAge'],
    ['/reports/segments/nope', 404, 'NOT_FOUND'],
    ['/reports/segments/nope/chart.svg', 404, 'NOT_FOUND'],
    [`/reports/compare?segments=${ids.Buyers},nope`, 404, 'NOT_FOUND'],
  ];
  for (const [path, status, code, field] of cases) {
    const r = await api('GET', path);
    expect([path, r.status, r.body.error.code]).toEqual([path, status, code]);
    if (field) expect(r.body.error.details).toEqual({ field });
  }
  expect((await api('GET', '/reports/segments', undefined, 'wrong-key-0123456789')).status).toBe(401);
});

test('the daily snapshot job is scheduled in Agenda and runs', async () => {
  const job = await until(
    () => app.conn.db!.collection('agendaJobs').findOne({ name: 'reports.snapshot' }),
    (j) => j?.lastFinishedAt instanceof Date,
  );
  expect(job).toMatchObject({ type: 'single', repeatInterval: 3_600_000 });
  expect(job?.failReason ?? null).toBeNull();
});

test('/report and /report compare by chat: the numbers and the chart as an SVG attachment', async () => {
  const admin = new ChannelUser(channel, {
    botUrl: `http://127.0.0.1:${app.port}/api/messages`,
    userId: 'chat-admin',
    userName: 'Ada',
  });
  const r = await admin.send('/report "Scored"');
  const reply = r.replies.at(-1)!;
  expect(reply.text).toMatch(
    /^Scored: 3 members \(fresh, exact as of \d\d:\d\d:\d\d UTC\)\.\nLast 30 days: 0 → 3 \(\+3\); entered 3, exited 0\.$/,
  );
  const [att] = reply.attachments as { contentType: string; contentUrl: string }[];
  expect(att!.contentType).toBe('image/svg+xml');
  const svg = Buffer.from(att!.contentUrl.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString();
  expect(XMLValidator.validate(svg)).toBe(true);
  expect(svg).toContain('Scored: members per day');

  const c = (await admin.send('/report compare "Buyers" "Scored"')).replies.at(-1)!;
  expect(c.text!.split('\n').slice(1)).toEqual([
    'Buyers: 2 · 4,000 · 60 · 0 · 0 · 50.0% · n/a · n/a',
    'Scored: 3 · 2,667 · 43.3 · 0 · 0 · 33.3% · n/a · n/a',
    expect.stringMatching(/^Members, averages and opted out as of \d\d:\d\d:\d\d UTC\.$/),
  ]);
  expect((c.attachments as unknown[]).length).toBe(1);

  expect((await admin.send('/report "No Such"')).replies.at(-1)!.text).toMatch(/not found/i);
  expect((await admin.send('/report compare "Buyers"')).replies.at(-1)!.text).toMatch(
    /^Name 2 to 10 segments/,
  );
  const stranger = new ChannelUser(channel, {
    botUrl: `http://127.0.0.1:${app.port}/api/messages`,
    userId: 'eve',
  });
  expect((await stranger.send('/report "Scored"')).replies.at(-1)!.text).toMatch(/only for admins/);
});

test('/metrics: Prometheus text with requests, transitions, lags, Agenda depth and database errors', async () => {
  expect((await raw('/metrics', {})).status).toBe(401);
  expect((await raw('/metrics', { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
  await app.conn.db!.command({ noSuchCommand: 1 }).catch(() => undefined);
  const res = await raw('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    expect(m && line).toBe(line); // every sample line parses
    samples.set(m![1]!, Number(m![2]));
  }
  const get = (k: string) => samples.get(k);
  expect(
    get('segments_http_requests_total{method="GET",route="/api/v1/reports/segments",status="200"}'),
  ).toBeGreaterThanOrEqual(2);
  expect(
    get('segments_http_requests_total{method="GET",route="/api/v1/reports/segments/:id",status="404"}'),
  ).toBe(1);
  expect(get('segments_transitions_total{cause="definition",kind="entered"}')).toBe(5);
  expect(get('segments_bot_turn_seconds_count{type="message"}')).toBe(5); // the chat test's turns
  expect(get('segments_sweeper_lag_seconds')).toBeGreaterThanOrEqual(0);
  expect(get('segments_dispatcher_lag_seconds')).toBeGreaterThanOrEqual(0);
  expect(get('segments_agenda_jobs{state="due"}')).toBeGreaterThanOrEqual(0);
  expect(get('segments_db_errors_total{command="noSuchCommand"}')).toBe(1);
});
