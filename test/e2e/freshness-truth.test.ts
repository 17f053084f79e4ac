/**
 * Freshness measures truth (issue 23): the report calls a segment `fresh` only when no contact's
 * stored membership disagrees with the rule beyond the stated lag. A member deliberately made
 * wrong in the database turns it `stale` (while explain shows result ≠ member), and repairing
 * the contact turns it `fresh` again; a contact whose boundary passed moments ago is within the
 * lag, one left unswept for longer is not.
 */
import type { App } from '../../src/app';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';
import { ManualClock } from '../support/manualClock';

const DAY = 86_400_000;
let app: App;
const clock = new ManualClock(Date.parse('2030-03-01T12:00:00.000Z'));
const call = apiClient(() => app);

beforeAll(async () => {
  app = await startTestApp('freshtruth', { ADMIN_API_KEY: TEST_API_KEY }, { clock: clock.now });
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

interface Fresh {
  state: string;
  disagreeing?: number;
  reasons?: string[];
}
/** The report's freshness, audited now (`maxAge=0`) or reusing an audit up to 5 s old. */
async function freshness(segmentId: string, auditNow = true): Promise<Fresh> {
  const r = await call('GET', `/reports/segments/${segmentId}${auditNow ? '?maxAge=0' : ''}`);
  expect(r.status).toBe(200);
  return r.body.freshness as Fresh;
}

async function built(name: string, rule: string): Promise<string> {
  const id = (await call('POST', '/segments', { name, rule })).body._id as string;
  await until(
    () => call('GET', `/segments/${id}`),
    (s) => s.body.rebuild?.state === 'done',
  );
  return id;
}

test('a corrupted member makes the segment stale; repaired, it is fresh again', async () => {
  const ann = (await call('POST', '/contacts', { externalId: 'ann', name: 'Ann', tags: ['vip'] })).body
    ._id as string;
  await call('POST', '/contacts', { externalId: 'bob', name: 'Bob' });
  const vip = await built('VIP', 'tag = "VIP"');
  expect(await freshness(vip)).toMatchObject({ state: 'fresh', disagreeing: 0 });

  // Deliberately wrong: Ann's stored membership says she is not in VIP, her tags say she is.
  await app.conn.db!.collection('contacts').updateOne({ _id: ann as never }, { $set: { segments: [] } });
  const why = (await call('GET', `/contacts/${ann}/segments/${vip}/explain`)).body;
  expect(why).toMatchObject({ member: false, result: true });
  expect(await freshness(vip)).toMatchObject({
    state: 'stale',
    disagreeing: 1,
    reasons: ['1 contact disagrees with the rule'],
  });

  // Any write that makes the engine evaluate her repairs it.
  await call('POST', `/contacts/${ann}/tags`, { add: ['gold'] });
  expect((await call('GET', `/contacts/${ann}/segments/${vip}/explain`)).body).toMatchObject({
    member: true,
    result: true,
  });
  expect(await freshness(vip)).toMatchObject({ state: 'fresh', disagreeing: 0 });

  // Without maxAge a report reuses an audit, but never one older than the 5 s lag bound.
  await app.conn.db!.collection('contacts').updateOne({ _id: ann as never }, { $set: { segments: [] } });
  expect(await freshness(vip, false)).toMatchObject({ state: 'fresh', disagreeing: 0 }); // within 5 s
  clock.advance(6_000);
  expect(await freshness(vip, false)).toMatchObject({ state: 'stale', disagreeing: 1 });
  await call('POST', `/contacts/${ann}/tags`, { add: ['silver'] });
  expect(await freshness(vip)).toMatchObject({ state: 'fresh', disagreeing: 0 });
});

test('a time boundary passed within the lag is fresh; left unswept beyond it, stale', async () => {
  const t0 = clock.now().getTime();
  const cara = (await call('POST', '/contacts', { externalId: 'cara', name: 'Cara' })).body._id as string;
  await call('POST', '/events', [
    {
      eventId: 'cara-c1',
      type: 'conversation',
      contactId: cara,
      at: new Date(t0 - 30 * DAY + 10_000).toISOString(),
    },
  ]);
  const quiet = await built('Quiet', 'lastConversationAt more than 30 days ago');
  expect(await freshness(quiet)).toMatchObject({ state: 'fresh', disagreeing: 0 });
  // Stop the sweeper so that nothing repairs the membership while we look.
  await app.membership.stop();
  try {
    clock.advance(12_000); // 2 s past the mark: within the 5 s lag
    expect(await freshness(quiet)).toMatchObject({ state: 'fresh', disagreeing: 0 });
    clock.advance(10_000); // 12 s past it: beyond the lag
    const stale = await freshness(quiet);
    expect(stale).toMatchObject({ state: 'stale', disagreeing: 1 });
    expect(stale.reasons).toContain('1 contact disagrees with the rule');
  } finally {
    app.membership.start();
  }
  await until(
    () => freshness(quiet),
    (f) => f.state === 'fresh',
  );
  expect(await freshness(quiet)).toMatchObject({ state: 'fresh', disagreeing: 0 });
});
