/**
 * Issue 15 through the whole app over HTTP: bulk import (JSON and NDJSON, per-item results,
 * idempotent by externalId/email, memberships with one transition each), `createdAt` and initial
 * traits on create and import (fix 3), and the rebuild status in GET /segments (fix 4).
 */
import type { App } from '../../src/app';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';

let app: App;
const call = apiClient(() => app);
const DAY = 86_400_000;

beforeAll(async () => {
  app = await startTestApp('imp', { ADMIN_API_KEY: TEST_API_KEY });
});
afterAll(() => stopTestApp(app));

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('createdAt and initial traits on create: checked, and the earliest creation wins', async () => {
  const old = new Date(Date.now() - 40 * DAY).toISOString();
  const r = await call('POST', '/contacts', {
    externalId: 'mig-1',
    name: 'Old Customer',
    createdAt: old,
    lifetimeValue: 7200,
    purchaseCount: 3,
    supportTickets: 1,
    totalTickets: 4,
  });
  expect(r.status).toBe(201);
  expect(r.body).toMatchObject({ createdAt: old, lifetimeValue: 7200, purchaseCount: 3, supportTickets: 1 });
  expect(new Date(r.body.updatedAt as string).getTime()).toBeGreaterThan(Date.now() - 60_000);
  const future = await call('POST', '/contacts', {
    externalId: 'mig-2',
    createdAt: new Date(Date.now() + DAY).toISOString(),
  });
  expect(future.status).toBe(400);
  expect(future.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { path: 'createdAt' } });
  expect((await call('POST', '/contacts', { externalId: 'mig-3', purchaseCount: -1 })).status).toBe(400);
  // A later createdAt does not move it forward; traits are initial only (events own them after).
  const again = await call('POST', '/contacts', {
    externalId: 'mig-1',
    createdAt: new Date().toISOString(),
    lifetimeValue: 1,
  });
  expect(again.body).toMatchObject({ createdAt: old, lifetimeValue: 7200 });
});

test('bulk import: per-item results, idempotent, memberships with one transition each', async () => {
  const seg = await call('POST', '/segments', {
    name: 'New This Week',
    rule: 'createdAt within last 7 days',
  });
  const big = await call('POST', '/segments', { name: 'Big', rule: 'lifetimeValue > 5000' });
  const items = Array.from({ length: 120 }, (_, i) => ({
    externalId: `imp-${i}`,
    name: `Imported ${i}`,
    email: `imp${i}@example.com`,
    createdAt: new Date(Date.now() - (i % 2 ? 30 : 2) * DAY).toISOString(),
    lifetimeValue: i < 10 ? 9000 : 10,
  }));
  const bad = [
    { externalId: 'imp-bad', createdAt: 'yesterday' },
    { name: 'no key at all' },
    { externalId: 'imp-0', name: 'Repeat of item 0 in the same import' },
    { externalId: 'imp-other', email: 'imp1@example.com' }, // email taken by imp-1
  ];
  const first = await call('POST', '/contacts/import', [...items, ...bad]);
  expect(first.status).toBe(200);
  expect(first.body.summary).toEqual({ created: 120, updated: 1, invalid: 3 });
  const results = first.body.results as { index: number; status: string; error?: { details?: unknown } }[];
  expect(results.map((r) => r.index)).toEqual([...Array(124).keys()]);
  expect(results[120]).toMatchObject({ status: 'invalid', error: { details: { path: 'createdAt' } } });
  expect(results[121]).toMatchObject({ status: 'invalid' });
  expect(results[122]).toMatchObject({ status: 'updated', externalId: 'imp-0' });
  expect(results[123]).toMatchObject({ status: 'invalid', error: { code: 'CONFLICT' } });

  const ndjson = items.map((i) => JSON.stringify(i)).join('\n') + '\n';
  const res = await fetch(`http://127.0.0.1:${app.port}/api/v1/contacts/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/x-ndjson' },
    body: ndjson,
  });
  const second = (await res.json()) as { summary: unknown };
  expect(second.summary).toEqual({ created: 0, updated: 120, invalid: 0 });

  const newThisWeek = await until(
    () => call('GET', `/segments/${seg.body._id}`),
    (r) => r.body.memberCount === 60 && r.body.rebuild.state === 'done',
  );
  expect(newThisWeek.body.rebuild).toMatchObject({ state: 'done', etaMs: 0 });
  type View = { _id: string; memberCount: number; rebuild: { state: string } };
  const bigView = async () =>
    ((await call('GET', '/segments')).body.items as View[]).find((s) => s._id === big.body._id)!;
  const done = await until(bigView, (v) => v.rebuild.state === 'done' && v.memberCount === 11);
  expect(done.memberCount).toBe(11); // 10 imported + mig-1 from the first test
  const feed = await until(
    () => call('GET', `/transitions?segmentId=${big.body._id}&limit=500`),
    (r) => r.body.items.length >= 11,
  );
  const entered = (feed.body.items as { contactId: string; kind: string }[]).filter(
    (t) => t.kind === 'entered',
  );
  expect(new Set(entered.map((t) => t.contactId)).size).toBe(entered.length); // one transition each
  expect(entered).toHaveLength(11);
  // Transitions and members carry the externalId and the segment name too.
  expect(feed.body.items[0]).toMatchObject({ segmentName: 'Big', externalId: expect.any(String) });
  const members = await call('GET', `/segments/${big.body._id}/members?limit=5`);
  expect(members.body.segment).toEqual({ _id: big.body._id, name: 'Big' });
  expect(members.body.items[0]).toMatchObject({ externalId: expect.stringMatching(/^(imp-\d+|mig-1)$/) });

  // List adds: an unknown id is reported for its item, the rest are added.
  const list = await call('POST', '/segments', { name: 'Imported list' });
  const ids = (first.body.results as { id?: string }[]).slice(0, 2).map((r) => r.id!);
  const add = await call('POST', `/segments/${list.body._id}/members`, {
    contactIds: [ids[0], 'no-such-contact', ids[1], ids[0]],
  });
  expect(add.status).toBe(200);
  expect(add.body.results.map((r: { status: string }) => r.status)).toEqual([
    'added',
    'not_found',
    'added',
    'already',
  ]);
  expect(add.body.results[1].error.code).toBe('NOT_FOUND');

  expect((await call('POST', '/contacts/import', [])).status).toBe(400);
  const tooMany = await call(
    'POST',
    '/contacts/import',
    Array.from({ length: 10_001 }, () => ({})),
  );
  expect(tooMany.body.error.code).toBe('BATCH_TOO_LARGE');
});
