/**
 * Time-driven entries whatever the order of things (issue 23): the contacts and their events go
 * in FIRST, the segments are created AFTER (a business adding a retention segment to a live bot).
 * A contact 30 s short of a relative-date boundary must enter once the clock crosses it, within
 * the sweeper's lag, exactly as it does when the data arrives after the segment.
 */
import type { App } from '../../src/app';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';
import { ManualClock } from '../support/manualClock';

const DAY = 86_400_000;
/** The lag the product states for time-driven transitions (freshness: sweeper at most 5 s behind). */
const LAG_MS = 5_000;

let app: App;
const clock = new ManualClock(Date.parse('2030-01-01T12:00:00.000Z'));
const call = apiClient(() => app);

beforeAll(async () => {
  app = await startTestApp('memorder', { ADMIN_API_KEY: TEST_API_KEY }, { clock: clock.now });
});
afterAll(() => stopTestApp(app));

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

async function events(list: object[]): Promise<void> {
  const r = await call('POST', '/events', list);
  expect(r.body.summary).toMatchObject({ invalid: 0, notProcessed: 0 });
}

async function createSegment(name: string, rule: string): Promise<string> {
  const r = await call('POST', '/segments', { name, rule });
  expect(r.status).toBe(201);
  const id = r.body._id as string;
  const built = await until(
    () => call('GET', `/segments/${id}`),
    (s) => s.body.rebuild?.state === 'done',
  );
  expect(built.body.rebuild.state).toBe('done');
  return id;
}

async function isMember(contactId: string, segmentId: string): Promise<boolean> {
  const items = (await call('GET', `/contacts/${contactId}/segments`)).body.items as { segmentId: string }[];
  return items.some((i) => i.segmentId === segmentId);
}

test('segments created after the data: contacts enter when the clock crosses the boundary', async () => {
  const t0 = clock.now().getTime();
  const quiet = (await call('POST', '/contacts', { externalId: 'quiet', name: 'Quiet' })).body._id as string;
  const buyer = (await call('POST', '/contacts', { externalId: 'buyer', name: 'Buyer' })).body._id as string;
  // Last conversation 30 days minus 30 s ago; last purchase 60 days minus 60 s ago, 4 open tickets.
  await events([
    { eventId: 'c1', type: 'conversation', contactId: quiet, at: iso(t0 - 30 * DAY + 30_000) },
    {
      eventId: 'p1',
      type: 'purchase',
      contactId: buyer,
      at: iso(t0 - 60 * DAY + 60_000),
      data: { amount: 10, currency: 'EUR' },
    },
    ...[1, 2, 3, 4].map((i) => ({
      eventId: `t${i}`,
      type: 'ticket.opened',
      contactId: buyer,
      data: { ticketId: `k${i}` },
    })),
  ]);

  const inactive = await createSegment('Inactive 30 Days', 'lastConversationAt more than 30 days ago');
  const atRisk = await createSegment(
    'At Risk',
    'supportTickets > 3 AND NOT lastPurchaseAt within last 60 days',
  );
  expect(await isMember(quiet, inactive)).toBe(false);
  expect(await isMember(buyer, atRisk)).toBe(false);
  // The rule already knows when each will flip; so must the contact's recheck instant.
  const why = await call('GET', `/contacts/${quiet}/segments/${inactive}/explain`);
  expect(why.body).toMatchObject({ member: false, result: false, nextFlip: iso(t0 + 30_000 + 1) });

  clock.advance(31_000); // past the 30-day mark (at t0 + 30 s + 1 ms), not yet the 60-day one
  const entered = await until(
    () => isMember(quiet, inactive),
    (m) => m,
    3000,
  );
  expect(entered).toBe(true);
  expect(await isMember(buyer, atRisk)).toBe(false); // not early

  clock.advance(30_000); // past the 60-day mark (t0 + 60 s + 1 ms)
  expect(
    await until(
      () => isMember(buyer, atRisk),
      (m) => m,
      3000,
    ),
  ).toBe(true);

  const feed = (
    await until(
      () => call('GET', '/transitions?limit=100'),
      (r) => r.body.items.length >= 2,
    )
  ).body.items as { contactId: string; segmentId: string; kind: string; cause: string; at: string }[];
  const one = (contactId: string, segmentId: string) =>
    feed.filter((t) => t.contactId === contactId && t.segmentId === segmentId);
  expect(one(quiet, inactive)).toEqual([expect.objectContaining({ kind: 'entered', cause: 'time' })]);
  expect(one(buyer, atRisk)).toEqual([expect.objectContaining({ kind: 'entered', cause: 'time' })]);
  const late = (t: { at: string }, mark: number) => Date.parse(t.at) - mark;
  expect(late(one(quiet, inactive)[0]!, t0 + 30_001)).toBeGreaterThanOrEqual(0);
  expect(late(one(quiet, inactive)[0]!, t0 + 30_001)).toBeLessThanOrEqual(LAG_MS);
  expect(late(one(buyer, atRisk)[0]!, t0 + 60_001)).toBeGreaterThanOrEqual(0);
  expect(late(one(buyer, atRisk)[0]!, t0 + 60_001)).toBeLessThanOrEqual(LAG_MS);
});

test('a rule edited to depend on time after the data: a contact short of the boundary enters when it is crossed', async () => {
  const t0 = clock.now().getTime();
  const mia = (await call('POST', '/contacts', { externalId: 'mia', name: 'Mia' })).body._id as string;
  await events([
    {
      eventId: 'm1',
      type: 'purchase',
      contactId: mia,
      at: iso(t0 - 14 * DAY + 15_000),
      data: { amount: 5, currency: 'EUR' },
    },
  ]);
  const lapsed = await createSegment('Lapsed', 'purchaseCount > 5');
  const edit = await call('PATCH', `/segments/${lapsed}`, { rule: 'lastPurchaseAt more than 14 days ago' });
  expect(edit.status).toBe(200);
  const rebuilt = await until(
    () => call('GET', `/segments/${lapsed}`),
    (s) => s.body.rebuild?.state === 'done',
  );
  expect(rebuilt.body.rebuild.state).toBe('done');
  expect(await isMember(mia, lapsed)).toBe(false);
  clock.advance(16_000);
  expect(
    await until(
      () => isMember(mia, lapsed),
      (m) => m,
      3000,
    ),
  ).toBe(true);
});

test('restart on a database from an older release: contacts left without a recheck instant get one', async () => {
  const t0 = clock.now().getTime();
  const lena = (await call('POST', '/contacts', { externalId: 'lena', name: 'Lena' })).body._id as string;
  await events([{ eventId: 'l1', type: 'conversation', contactId: lena, at: iso(t0 - 7 * DAY + 20_000) }]);
  const weekQuiet = await createSegment('Quiet a week', 'lastConversationAt more than 7 days ago');
  // What the older release left behind: no recheck instant, and no marker of this release.
  const db = app.conn.db!;
  await db.collection('contacts').updateOne({ _id: lena as never }, { $set: { nextRecheckAt: null } });
  await db.collection('system_info').deleteOne({ _id: 'membership_recheck' as never });
  await app.stop();
  app = await startTestApp('memorder', { ADMIN_API_KEY: TEST_API_KEY }, { clock: clock.now });
  const rebuilt = await until(
    () => call('GET', `/segments/${weekQuiet}`),
    (s) => s.body.rebuild?.state === 'done' && s.body.rebuild?.total > 0,
  );
  expect(rebuilt.body.rebuild.state).toBe('done');
  clock.advance(21_000);
  expect(
    await until(
      () => isMember(lena, weekQuiet),
      (m) => m,
      3000,
    ),
  ).toBe(true);
});
