/**
 * Issue 28 through the assembled app over real HTTP: the loopback-only serviceUrl check of the
 * unauthenticated bot channel, hostile JSON nesting on every kind of route, and a transitions
 * cursor that carries no signal from another workspace.
 */
import { ChannelUser, TestChannel } from '../../bot/cli/channel';
import type { App } from '../../src/app';
import { MAX_BODY_DEPTH } from '../../src/infra/http/bodyDepth';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';

let app: App;
let channel: TestChannel;
let otherKey: string;
const api = apiClient(() => app);

beforeAll(async () => {
  channel = await TestChannel.start();
  app = await startTestApp('security', { ADMIN_API_KEY: TEST_API_KEY });
  const created = await api('POST', '/admin/workspaces', { id: 'quiet', name: 'Quiet' });
  otherKey = created.body.key.key as string;
});
afterAll(async () => {
  await channel?.close();
  if (app) await stopTestApp(app);
});

const refs = () => app.conn.db!.collection('conversation_refs');
const user = (userId: string) =>
  new ChannelUser(channel, { botUrl: `http://127.0.0.1:${app.port}/api/messages`, userId });

describe('the bot channel without an app id answers loopback serviceUrls only', () => {
  const port = () => new URL(channel.serviceUrl).port;

  test.each([
    ['a domain that starts like a loopback address', () => `http://127.0.0.1.evil.example:${port()}/x`],
    ['userinfo that looks like a loopback host', () => `http://127.0.0.1@evil.example:${port()}/`],
    ['an IPv4-compatible (not mapped) address', () => `http://[::127.0.0.1]:${port()}/`],
    ['any address', () => `http://0.0.0.0:${port()}/`],
  ])('%s: 403 and no conversation reference stored', async (_what, url) => {
    const before = await refs().countDocuments();
    const r = await user(`bypass-${Math.random().toString(36).slice(2)}`).post({
      type: 'message',
      text: 'hi',
      serviceUrl: url(),
    });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect(r.replies).toEqual([]);
    expect(await refs().countDocuments()).toBe(before);
  });

  test('a shorthand loopback address (127.1) is loopback: answered there, stored in its normal form', async () => {
    const u = user('shorthand');
    const r = await u.post({ type: 'message', text: 'hi', serviceUrl: `http://127.1:${port()}/` });
    expect(r.status).toBe(200);
    // The reply reached the channel listening on 127.0.0.1: that is where the address leads.
    expect(r.replies.length).toBeGreaterThan(0);
    const stored = await refs().find({ userId: 'shorthand' }).toArray();
    expect(stored).toHaveLength(1);
    expect(JSON.parse(stored[0]!.refJson as string)).toMatchObject({
      serviceUrl: `http://127.0.0.1:${port()}/`,
    });
  });
});

describe('hostile nesting is a 400 with a stable code on every route, never a 500', () => {
  const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);
  const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
  /** A body of the right shape with the nesting where each route reads freely. */
  const bodies: [string, (n: number) => string][] = [
    ['a bare array', deepArray],
    ['a bare object', deepObject],
    ['inside a field', (n) => `{"type":"message","text":"x","channelData":${deepObject(n)}}`],
  ];
  let dl: { token: string; conversationId: string };

  beforeAll(async () => {
    const res = await fetch(`http://127.0.0.1:${app.port}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    dl = (await res.json()) as typeof dl;
  });

  const routes: [string, string, () => string | undefined, string?][] = [
    ['POST', '/api/v1/events', () => TEST_API_KEY],
    ['POST', '/api/v1/contacts', () => TEST_API_KEY],
    ['PATCH', '/api/v1/contacts/nobody', () => TEST_API_KEY],
    ['PUT', '/api/v1/contacts/nobody/custom/k', () => TEST_API_KEY],
    ['POST', '/api/v1/contacts/import', () => TEST_API_KEY],
    ['POST', '/api/v1/segments', () => TEST_API_KEY],
    ['POST', '/api/v1/segments/preview', () => TEST_API_KEY],
    ['POST', '/api/v1/campaigns', () => TEST_API_KEY],
    ['POST', '/api/v1/flows/bindings', () => TEST_API_KEY],
    ['POST', '/api/v1/admin/workspaces', () => TEST_API_KEY],
    // Without a key the REST API refuses before reading the body at all.
    ['POST', '/api/v1/events', () => undefined, '401 UNAUTHORIZED'],
    ['POST', '/api/messages', () => undefined],
    ['POST', '/v3/directline/tokens/generate', () => TEST_API_KEY],
    ['POST', '/v3/directline/conversations', () => TEST_API_KEY],
    ['POST', '/v3/directline/conversations/:dl/activities', () => dl.token],
    ['POST', '/v3/conversations/:dl/activities', () => undefined],
  ];

  test.each(routes)('%s %s', async (method, rawPath, key, expected = '400 BODY_TOO_DEEP') => {
    const path = rawPath.replace(':dl', dl.conversationId);
    const seen: string[] = [];
    for (const [shape, body] of bodies) {
      for (const depth of [MAX_BODY_DEPTH + 1, 4_500, 100_000]) {
        const res = await fetch(`http://127.0.0.1:${app.port}${path}`, {
          method,
          headers: {
            'content-type': 'application/json',
            ...(key() ? { authorization: `Bearer ${key()}` } : {}),
          },
          body: body(depth),
        });
        const text = await res.text();
        const code = (/"code":"(\w+)"/.exec(text) ?? [])[1];
        seen.push(`${shape} ${depth}: ${res.status} ${code}`);
      }
    }
    expect(seen).toEqual(seen.map((s) => s.replace(/: .*/, `: ${expected}`)));
  });

  test('nesting within the limit is still read (a Direct Line activity with deep channelData)', async () => {
    const res = await fetch(`http://127.0.0.1:${app.port}/v3/conversations/${dl.conversationId}/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"type":"message","text":"x","channelData":${deepObject(MAX_BODY_DEPTH - 1)}}`,
    });
    expect(res.status).toBe(200);
  });

  test('brackets inside strings do not count', async () => {
    const text = '['.repeat(10_000);
    const res = await fetch(`http://127.0.0.1:${app.port}/api/v1/contacts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` },
      body: JSON.stringify({ name: 'Brackets', custom: { note: text.slice(0, 500) + '"\\"{' } }),
    });
    expect(res.status).toBe(201);
  });
});

test('GET /transitions: a workspace with no transitions sees a cursor that never moves', async () => {
  const first = await api('GET', '/transitions', undefined, otherKey);
  expect(first.status).toBe(200);
  expect(first.body).toEqual({ items: [], nextCursor: 0 });

  // Another workspace's members change: transitions are written and dispatched.
  const seg = await api('POST', '/segments', { name: 'Everyone tagged', rule: 'tag = "x"' });
  expect(seg.status).toBe(201);
  for (let i = 0; i < 3; i++) await api('POST', '/contacts', { name: `Tagged ${i}`, tags: ['x'] });
  const end = Date.now() + 10_000;
  let mine = await api('GET', '/transitions');
  while (mine.body.items.length < 3 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    mine = await api('GET', '/transitions');
  }
  expect(mine.body.items).toHaveLength(3);

  const again = await api('GET', '/transitions', undefined, otherKey);
  expect(again.body).toEqual({ items: [], nextCursor: 0 });
  // Paging on from a cursor of its own gives the same cursor back.
  expect((await api('GET', '/transitions?cursor=0', undefined, otherKey)).body.nextCursor).toBe(0);
  // The busy workspace's own cursor: past its own last transition, and paging on from it is empty.
  const last = mine.body.items[2].position as number;
  expect(mine.body.nextCursor).toBe(last);
  expect((await api('GET', `/transitions?cursor=${last}`)).body).toEqual({ items: [], nextCursor: last });
});
