/**
 * The contacts and events API over real HTTP: auth, workspace isolation, pagination under
 * concurrent inserts, batch limits and per-item results.
 */
import pino from 'pino';
import type { Server } from 'restify';
import { registerCoreRoutes } from '../../src/api';
import { createCoreServices, type CoreServices } from '../../src/compose/core';
import { closeServer, createHttpServer, listen } from '../../src/infra/http/server';
import { openTestDb, type TestDb } from '../support/db';
import { RecordingListener } from '../support/recordingListener';

const ADMIN = 'admin-key-for-tests-0123456789';
let t: TestDb;
let server: Server;
let core: CoreServices;
let base: string;
let keyA: string;
let keyB: string;

beforeAll(async () => {
  t = await openTestDb('api');
  core = await createCoreServices(t.db, { adminApiKey: ADMIN, listener: new RecordingListener() });
  server = createHttpServer({
    log: pino({ level: 'silent' }),
    health: async () => ({ status: 'ok', db: 'ok', scheduler: 'ok', version: 'test' }),
  });
  registerCoreRoutes(server, core);
  base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}/api/v1`;
  keyA = (await core.apiKeys.createApiKey('ws-a', 'tests A')).key;
  keyB = (await core.apiKeys.createApiKey('ws-b', 'tests B')).key;
});
afterAll(async () => {
  await closeServer(server);
  await t.close();
});

/** The union of the response shapes these tests read. */
interface ApiBody {
  _id: string;
  error: { code: string; details?: { path?: string } };
  items: { _id: string }[];
  nextCursor: string | null;
  results: { eventId: string | null; status: string; error?: { code: string } }[];
  [field: string]: unknown;
}

async function call(method: string, path: string, key: string | undefined, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as ApiBody };
}

test('401 without a key, with a wrong key, and for unknown routes under /api/v1', async () => {
  for (const key of [undefined, 'wrong-key', `${keyA}x`, ADMIN.toUpperCase()]) {
    const r = await call('GET', '/contacts', key);
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('UNAUTHORIZED');
  }
  expect((await call('GET', '/nothing-here', undefined)).status).toBe(401);
  expect((await call('GET', '/contacts', ADMIN)).status).toBe(200);
  // Keys are stored hashed only.
  const stored = await t.db.collection('api_keys').find({}).toArray();
  expect(JSON.stringify(stored)).not.toContain(keyA.split('.')[1]);
});

test('contacts CRUD: 201 created, 200 upserted, tags, custom, 204 delete, 404 after', async () => {
  const created = await call('POST', '/contacts', keyA, { externalId: 'c1', name: 'Ann', email: 'Ann@X.io' });
  expect(created.status).toBe(201);
  const id = created.body._id;
  const again = await call('POST', '/contacts', keyA, { externalId: 'c1', tags: ['VIP'] });
  expect(again).toMatchObject({ status: 200, body: { _id: id, tags: ['VIP'], email: 'ann@x.io' } });
  expect(await call('GET', `/contacts/${id}`, keyA)).toMatchObject({ status: 200, body: { segments: [] } });
  expect((await call('PATCH', `/contacts/${id}`, keyA, { leadScore: 55 })).body.leadScore).toBe(55);
  expect(
    (await call('POST', `/contacts/${id}/tags`, keyA, { add: ['b'], remove: ['vip'] })).body.tags,
  ).toEqual(['b']);
  const put = await call('PUT', `/contacts/${id}/custom/plan`, keyA, { value: 'pro' });
  expect(put.body.custom).toEqual({ plan: 'pro' });
  const bad = await call('PUT', `/contacts/${id}/custom/${encodeURIComponent('$where')}`, keyA, { value: 1 });
  expect(bad).toMatchObject({
    status: 400,
    body: { error: { code: 'VALIDATION_FAILED', details: { path: 'key' } } },
  });
  expect((await call('DELETE', `/contacts/${id}/custom/plan`, keyA)).body.custom).toEqual({});
  const invalid = await call('PATCH', `/contacts/${id}`, keyA, { email: { $ne: null } });
  expect(invalid).toMatchObject({ status: 400, body: { error: { details: { path: 'email' } } } });
  const dup = await call('POST', '/contacts', keyA, { externalId: 'c2', email: 'ann@x.io' });
  expect(dup).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT' } } });
  expect((await call('DELETE', `/contacts/${id}`, keyA)).status).toBe(204);
  expect(await call('GET', `/contacts/${id}`, keyA)).toMatchObject({
    status: 404,
    body: { error: { code: 'NOT_FOUND' } },
  });
});

test("a key of workspace A can neither read nor change B's contact (404: existence not revealed)", async () => {
  const b = await call('POST', '/contacts', keyB, { name: 'Bea', tags: ['b'] });
  const id = b.body._id;
  const attempts = [
    call('GET', `/contacts/${id}`, keyA),
    call('PATCH', `/contacts/${id}`, keyA, { name: 'hacked' }),
    call('POST', `/contacts/${id}/tags`, keyA, { add: ['hacked'] }),
    call('PUT', `/contacts/${id}/custom/x`, keyA, { value: 1 }),
    call('DELETE', `/contacts/${id}/custom/x`, keyA),
    call('DELETE', `/contacts/${id}`, keyA),
  ];
  for (const r of await Promise.all(attempts))
    expect(r).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  const ev = await call('POST', '/events', keyA, [
    { eventId: 'steal-1', type: 'purchase', contactId: id, data: { amount: 9, currency: 'EUR' } },
  ]);
  expect(ev.status).toBe(200);
  expect(ev.body.results[0]).toMatchObject({ status: 'invalid', error: { code: 'NOT_FOUND' } });
  const list = await call('GET', '/contacts?limit=200', keyA);
  expect(list.body.items.map((c) => c._id)).not.toContain(id);
  expect(await call('GET', `/contacts/${id}`, keyB)).toMatchObject({
    status: 200,
    body: { name: 'Bea', tags: ['b'], lifetimeValue: 0 },
  });
});

test('pagination: no gaps or repeats among existing contacts while another loop inserts', async () => {
  const key = (await core.apiKeys.createApiKey('ws-page', 'paging')).key;
  const existing = new Set<string>();
  for (let i = 0; i < 60; i++)
    existing.add((await call('POST', '/contacts', key, { name: `p${i}` })).body._id);
  let stop = false;
  const inserter = (async () => {
    for (let i = 0; !stop && i < 200; i++) await call('POST', '/contacts', key, { name: `late${i}` });
  })();
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const q: string = cursor ? `?limit=7&cursor=${cursor}` : '?limit=7';
    const page = await call('GET', `/contacts${q}`, key);
    expect(page.status).toBe(200);
    seen.push(...page.body.items.map((c) => c._id));
    cursor = page.body.nextCursor;
  } while (cursor);
  stop = true;
  await inserter;
  expect(new Set(seen).size).toBe(seen.length);
  for (const id of existing) expect(seen).toContain(id);
  const bad = await call('GET', '/contacts?limit=0', key);
  expect(bad).toMatchObject({ status: 400, body: { error: { details: { path: 'limit' } } } });
  expect((await call('GET', '/contacts?cursor[$gt]=', key)).status).toBe(400);
});

test('events: per-item results with HTTP 200; over 1000 → 400 BATCH_TOO_LARGE; empty → 400', async () => {
  const id = (await call('POST', '/contacts', keyA, { name: 'Eve' })).body._id;
  const p = { type: 'purchase', contactId: id, data: { amount: 10, currency: 'EUR' } };
  const r = await call('POST', '/events', keyA, {
    events: [
      { eventId: 'b1', ...p },
      { eventId: 'b1', ...p },
      { eventId: 'b2', type: 'purchase', contactId: id },
    ],
  });
  expect(r.status).toBe(200);
  expect(r.body.results).toMatchObject([
    { eventId: 'b1', status: 'applied' },
    { eventId: 'b1', status: 'duplicate' },
    { eventId: 'b2', status: 'invalid', error: { code: 'VALIDATION_FAILED' } },
  ]);
  expect(r.body.summary).toEqual({ applied: 1, duplicate: 1, invalid: 1, notProcessed: 0 });
  expect((await call('GET', `/contacts/${id}`, keyA)).body).toMatchObject({
    lifetimeValue: 10,
    purchaseCount: 1,
  });
  const big = await call(
    'POST',
    '/events',
    keyA,
    Array.from({ length: 1001 }, (_, i) => ({ eventId: `big${i}`, ...p })),
  );
  expect(big).toMatchObject({ status: 400, body: { error: { code: 'BATCH_TOO_LARGE' } } });
  expect((await call('POST', '/events', keyA, [])).status).toBe(400);
  // A key for workspace B sees the same eventId as new: ids are per workspace.
  const idB = (await call('POST', '/contacts', keyB, {})).body._id;
  const rb = await call('POST', '/events', keyB, [{ eventId: 'b1', ...p, contactId: idB }]);
  expect(rb.body.results[0]!.status).toBe('applied');
});

test('a deep event item is that item invalid, not a 500 mid-batch (issue 16); hostile depth is a 400 (issue 28)', async () => {
  const id = (await call('POST', '/contacts', keyA, { name: 'Deep' })).body._id;
  // Written out by hand: JSON.stringify itself overflows the stack at 20,000 levels.
  const nest = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  const item = (eventId: string, type: string, data: string) =>
    `{"eventId":"${eventId}","type":"${type}","contactId":"${id}","data":${data}}`;
  const post = (deep: string, n: number) =>
    fetch(`${base}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keyA}`, 'content-type': 'application/json' },
      body: `[${item(`d1-${n}`, 'lead_score.set', '{"score":5}')},${item(`d2-${n}`, 'custom', deep)},${item(`d3-${n}`, 'lead_score.set', `{"score":${n}}`)}]`,
    });
  // Deeper than an event's data may be (32) but within the body limit (64): that item only.
  const res = await post(nest(40), 40);
  expect(res.status).toBe(200);
  const r = { body: (await res.json()) as { results: unknown[] } };
  expect(r.body.results).toMatchObject([
    { status: 'applied' },
    {
      status: 'invalid',
      error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/nested more than 32/) },
    },
    { status: 'applied' },
  ]);
  // 20,000 levels: refused whole before parsing, like a body on any route; nothing is applied.
  const hostile = await post(nest(20_000), 20_000);
  expect(hostile.status).toBe(400);
  expect(((await hostile.json()) as { error: { code: string } }).error.code).toBe('BODY_TOO_DEEP');
  expect((await call('GET', `/contacts/${id}`, keyA)).body.leadScore).toBe(40);
});
