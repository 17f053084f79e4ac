/**
 * The segments API through the whole app over real HTTP: create by text, rule errors with line
 * and column, preview with impact, an event moving a contact in at once, explain, lists,
 * dependency protection, the transitions feed and workspace isolation.
 */
import type { App } from '../../src/app';
import { ApiKeyService } from '../../src/domain/workspaces/apiKeys';
import { MongoApiKeyRepo } from '../../src/infra/repos/apiKeys';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';

const KEY = TEST_API_KEY;
let app: App;
let otherKey: string;
const call = apiClient(() => app);

beforeAll(async () => {
  app = await startTestApp('seg', { ADMIN_API_KEY: KEY });
  otherKey = (
    await new ApiKeyService(new MongoApiKeyRepo(app.conn.db!), undefined).createApiKey('other', 'test')
  ).key;
});
afterAll(() => stopTestApp(app));

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('segments end to end', async () => {
  const ann = (await call('POST', '/contacts', { externalId: 'ann', name: 'Ann', email: 'Ann@Example.com' }))
    .body;
  const bob = (await call('POST', '/contacts', { externalId: 'bob', name: 'Bob', tags: ['vip'] })).body;

  const bad = await call('POST', '/segments', { name: 'Broken', rule: 'lifetimeValue >\n  "lots"' });
  expect(bad.status).toBe(400);
  expect(bad.body.error).toMatchObject({ code: 'RULE_SYNTAX', details: { line: 2, column: 3 } });

  const preview = await call('POST', '/segments/preview', { rule: 'lifetimeValue > 5000 OR tag = "VIP"' });
  expect(preview.body).toMatchObject({ count: 1, sample: [{ _id: bob._id }] });

  const vip = await call('POST', '/segments', {
    name: 'VIP Customers',
    rule: 'lifetimeValue > 5000 OR tag = "VIP"',
    priority: 100,
  });
  expect(vip.status).toBe(201);
  expect((await call('POST', '/segments', { name: 'vip customers', rule: 'leadScore > 1' })).status).toBe(
    409,
  );
  const members = await until(
    () => call('GET', `/segments/${vip.body._id}/members`),
    (r) => r.body.items.length === 1,
  );
  expect(members.body.items.map((m: { _id: string }) => m._id)).toEqual([bob._id]);

  // An event moves Ann in at once (no rebuild involved).
  const ev = await call('POST', '/events', [
    { eventId: 'p1', contactId: ann._id, type: 'purchase', data: { amount: 6000, currency: 'EUR' } },
  ]);
  expect(ev.body.results[0].status).toBe('applied');
  expect((await call('GET', `/segments/${vip.body._id}`)).body.memberCount).toBe(2);

  const annSegments = await call('GET', `/contacts/${ann._id}/segments`);
  expect(annSegments.body.items).toEqual([
    expect.objectContaining({ name: 'VIP Customers', slug: 'vip-customers', type: 'dynamic' }),
  ]);
  expect((await call('GET', `/contacts/${ann._id}/segments`, undefined, otherKey)).status).toBe(404);
  const why = await call('GET', `/contacts/${ann._id}/segments/${vip.body._id}/explain`);
  expect(why.body).toMatchObject({ member: true, result: true, nextFlip: null });

  const edit = await call('POST', '/segments/preview', {
    rule: 'lifetimeValue > 5000',
    segmentId: vip.body._id,
  });
  expect(edit.body).toMatchObject({ count: 1, impact: { enter: 0, exit: 1 } });

  const list = await call('POST', '/segments', { name: 'Beta testers' });
  expect(list.body.type).toBe('static');
  expect(
    (await call('POST', `/segments/${list.body._id}/members`, { contactIds: [ann._id] })).body.results[0]
      .added,
  ).toBe(true);
  const both = await call('POST', '/segments', {
    name: 'VIP beta',
    rule: 'in segment "VIP Customers" AND in segment "Beta testers"',
  });
  await until(
    () => call('GET', `/segments/${both.body._id}`),
    (r) => r.body.memberCount === 1,
  );
  expect((await call('DELETE', `/segments/${list.body._id}`)).status).toBe(409);
  expect(
    (await call('POST', `/segments/${vip.body._id}/members`, { contactIds: [ann._id] })).body.error.code,
  ).toBe('NOT_A_LIST');

  // The feed shows what the dispatcher has passed (it runs every 200 ms).
  const feed = await until(
    () => call('GET', `/transitions?contactId=${ann._id}&limit=10`),
    (r) => r.body.items.length >= 2,
  );
  expect(feed.body.items.map((t: { kind: string; cause: string }) => `${t.kind}:${t.cause}`)).toEqual(
    expect.arrayContaining(['entered:event', 'entered:manual']),
  );

  // Another workspace's key sees none of it and cannot change it.
  expect((await call('GET', `/segments/${vip.body._id}`, undefined, otherKey)).status).toBe(404);
  expect((await call('DELETE', `/segments/${vip.body._id}`, undefined, otherKey)).status).toBe(404);
  expect((await call('GET', '/segments', undefined, otherKey)).body.items).toEqual([]);
  expect((await call('GET', '/segments', undefined, 'wrong-key-wrong-key')).status).toBe(401);
});

test('each segment error class: status, stable code and where the problem is', async () => {
  const cases: [string, string, unknown, number, string, Record<string, unknown>?][] = [
    ['POST', '/segments', { name: 'A', rule: 'leadScore >' }, 400, 'RULE_SYNTAX', { line: 1, column: 12 }],
    [
      'POST',
      '/segments',
      { name: 'B', rule: { kind: 'condition', field: '$where', operator: '=', value: 1 } },
      400,
      'RULE_INVALID',
    ],
    [
      'POST',
      '/segments',
      { name: 'C', rule: 'in segment "Nope"' },
      400,
      'UNKNOWN_SEGMENT',
      { segment: 'Nope' },
    ],
    [
      'POST',
      '/segments',
      { name: 'D', type: 'smart', rule: 'leadScore > 1' },
      400,
      'VALIDATION_FAILED',
      { field: 'type' },
    ],
    ['POST', '/segments', { name: '', rule: 'leadScore > 1' }, 400, 'VALIDATION_FAILED', { field: 'name' }],
    [
      'POST',
      '/segments',
      { name: 'E', rule: 'leadScore > 1', priority: 1.5 },
      400,
      'VALIDATION_FAILED',
      { field: 'priority' },
    ],
    ['POST', '/segments/preview', { rule: 'x'.repeat(10_001) }, 400, 'RULE_SYNTAX'],
    ['GET', '/segments/nope', undefined, 404, 'NOT_FOUND'],
    ['GET', '/transitions?cursor=-1', undefined, 400, 'VALIDATION_FAILED', { field: 'cursor' }],
    ['GET', '/transitions?limit=5000', undefined, 400, 'VALIDATION_FAILED', { field: 'limit' }],
  ];
  const before = (await call('GET', '/segments')).body.items.length;
  for (const [method, path, body, status, code, details] of cases) {
    const r = await call(method, path, body);
    expect([path, r.status, r.body.error.code]).toEqual([path, status, code]);
    if (details) expect(r.body.error.details).toMatchObject(details);
  }
  const invalid = await call('POST', '/segments', {
    name: 'B',
    rule: { kind: 'condition', field: '$where', operator: '=', value: 1 },
  });
  expect(invalid.body.error.details.problems[0]).toMatchObject({ path: 'field' });
  expect((await call('GET', '/segments')).body.items.length).toBe(before); // nothing was created
});

test('deleting a segment takes it off its members with an exited transition each (issue 16)', async () => {
  const seg = await call('POST', '/segments', { name: 'Doomed', rule: 'tag = "doomed"' });
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    ids.push((await call('POST', '/contacts', { name: `D${i}`, tags: ['doomed'] })).body._id as string);
  }
  await until(
    () => call('GET', `/segments/${seg.body._id}`),
    (r) => r.body.memberCount === 3,
  );
  expect((await call('DELETE', `/segments/${seg.body._id}`)).status).toBe(204);
  for (const id of ids) {
    await until(
      () => call('GET', `/contacts/${id}/segments`),
      (r) => !JSON.stringify(r.body).includes(seg.body._id as string),
    );
  }
  const exits = await until(
    () => call('GET', `/transitions?segmentId=${seg.body._id}&limit=50`),
    (r) => r.body.items.filter((t: { kind: string }) => t.kind === 'exited').length === 3,
  );
  expect(
    exits.body.items
      .filter((t: { kind: string }) => t.kind === 'exited')
      .map((t: { cause: string }) => t.cause),
  ).toEqual(['definition', 'definition', 'definition']);
});
