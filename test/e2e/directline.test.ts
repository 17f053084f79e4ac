/**
 * The built-in Direct Line 3.0 service over real HTTP, as botframework-webchat uses it (polling):
 * a token from a workspace API key, the conversation start (the bot greets the joining user through
 * the real /api/messages + CloudAdapter path), posting a message and reading the bot's reply after a
 * watermark, and the refusals: no key, a bad token, another conversation's id, a bad watermark.
 */
import type { App } from '../../src/app';
import { startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';

let app: App;
let base: string;

beforeAll(async () => {
  app = await startTestApp('directline', { ADMIN_API_KEY: TEST_API_KEY, BOT_ADMINS: 'directline:dl-admin' });
  base = `http://127.0.0.1:${app.port}/v3/directline`;
});
afterAll(async () => {
  if (app) await stopTestApp(app);
});

async function call(method: string, path: string, auth?: unknown, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(typeof auth === 'string' ? { authorization: `Bearer ${auth}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
}

const botTexts = (activities: unknown) =>
  (activities as Record<string, any>[])
    .filter((a) => a.from?.role === 'bot' || a.from?.id === 'bot')
    .map((a) => String(a.text ?? ''));

test('a token opens a conversation; the bot greets the user and answers a message', async () => {
  const gen = await call('POST', '/tokens/generate', TEST_API_KEY, {
    user: { id: 'dl-ann', name: 'Ann Lee' },
  });
  expect(gen.status).toBe(200);
  const { token, conversationId } = gen.body as { token: string; conversationId: string };
  expect(gen.body.expires_in).toBeGreaterThan(3000);

  const start = await call('POST', '/conversations', token);
  expect(start.status).toBe(201);
  expect(start.body.conversationId).toBe(conversationId);
  const first = await call('GET', `/conversations/${conversationId}/activities`, token);
  expect(first.status).toBe(200);
  expect(botTexts(first.body.activities)[0]).toMatch(/^Hello Ann Lee! I'm the Segments assistant/);

  // Starting again (Web Chat reconnecting) does not greet twice.
  await call('POST', '/conversations', token);
  const again = await call(
    'GET',
    `/conversations/${conversationId}/activities?watermark=${first.body.watermark}`,
    token,
  );
  expect(again.body.activities).toEqual([]);

  const sent = await call('POST', `/conversations/${conversationId}/activities`, token, {
    type: 'message',
    text: 'help',
    from: { id: 'someone-else' },
    channelData: { clientActivityID: 'c1' },
  });
  expect(sent.status).toBe(200);
  expect(sent.body.id).toMatch(new RegExp(`^${conversationId}\\|`));
  const next = await call(
    'GET',
    `/conversations/${conversationId}/activities?watermark=${first.body.watermark}`,
    token,
  );
  const [echo, ...replies] = next.body.activities as Record<string, any>[];
  // The user's own activity comes back first (Web Chat matches it by clientActivityID), as the token's user.
  expect(echo).toMatchObject({
    id: sent.body.id,
    text: 'help',
    from: { id: 'dl-ann' },
    channelData: { clientActivityID: 'c1' },
  });
  expect(replies.length).toBeGreaterThan(0);
  expect(replies[0]).toMatchObject({ replyToId: sent.body.id, conversation: { id: conversationId } });
  expect(Number(next.body.watermark)).toBeGreaterThan(Number(first.body.watermark));

  const contacts = await app.conn.db!.collection('contacts').find({ name: 'Ann Lee' }).toArray();
  expect(contacts).toHaveLength(1);
  expect(contacts[0]!.identities).toEqual([{ channelId: 'directline', userId: 'dl-ann' }]);
});

test('an API key used as the Direct Line secret starts a conversation of its own; refresh keeps the token', async () => {
  const start = await call('POST', '/conversations', TEST_API_KEY);
  expect(start.status).toBe(201);
  const refreshed = await call('POST', '/tokens/refresh', start.body.token);
  expect(refreshed.body).toMatchObject({
    conversationId: start.body.conversationId,
    token: start.body.token,
  });
});

test('refusals: no key, a wrong key, a bad token, another conversation, a bad watermark or body', async () => {
  expect((await call('POST', '/tokens/generate')).status).toBe(401);
  expect((await call('POST', '/tokens/generate', 'not-a-key-at-all')).body.error.code).toBe('UNAUTHORIZED');
  const bad = await call('POST', '/tokens/generate', TEST_API_KEY, { user: { id: 'a b' } });
  expect(bad).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
  const a = (await call('POST', '/tokens/generate', TEST_API_KEY)).body;
  const b = (await call('POST', '/tokens/generate', TEST_API_KEY)).body;
  expect((await call('GET', `/conversations/${a.conversationId}/activities`, 'nope')).status).toBe(401);
  expect((await call('GET', `/conversations/${a.conversationId}/activities`, b.token)).status).toBe(404);
  expect(
    (await call('GET', `/conversations/${a.conversationId}/activities?watermark=x`, a.token)).status,
  ).toBe(400);
  const noType = await call('POST', `/conversations/${a.conversationId}/activities`, a.token, { text: 'hi' });
  expect(noType.status).toBe(400);
  const none = await call('GET', `/conversations/${a.conversationId}/activities`, a.token);
  expect(none.body.activities).toEqual([]);
  // The bot's side refuses a conversation it does not know.
  const res = await fetch(`http://127.0.0.1:${app.port}/v3/conversations/unknown/activities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'message', text: 'x' }),
  });
  expect(res.status).toBe(404);
});

test('a console admin (BOT_ADMINS=directline:dl-admin) can use admin commands', async () => {
  const { token, conversationId } = (
    await call('POST', '/tokens/generate', TEST_API_KEY, { user: { id: 'dl-admin' } })
  ).body;
  await call('POST', '/conversations', token);
  await call('POST', `/conversations/${conversationId}/activities`, token, {
    type: 'message',
    text: '/segments',
  });
  const all = (await call('GET', `/conversations/${conversationId}/activities`, token)).body.activities;
  expect(botTexts(all).join('\n')).not.toMatch(/only for admins|not allowed/i);
  expect(botTexts(all).at(-1)).toMatch(/segment/i);
});
