/**
 * Direct Line tokens and workspaces, through the real routes: a key of another workspace must not
 * speak as the bot workspace's chat contact (it could read her greeting and offer, and re-point her
 * conversation reference so a later campaign delivered her private message to the attacker), and a
 * token dies with the key that issued it.
 */
import type { App } from '../../src/app';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';

jest.setTimeout(60_000);
let app: App;
let dl: string;
const api = apiClient(() => app);

beforeAll(async () => {
  app = await startTestApp('dlworkspaces', { ADMIN_API_KEY: TEST_API_KEY, AGENDA_PROCESS_EVERY_MS: '100' });
  dl = `http://127.0.0.1:${app.port}/v3/directline`;
});
afterAll(async () => {
  if (app) await stopTestApp(app);
});

async function call(method: string, path: string, auth: string, body?: unknown) {
  const res = await fetch(`${dl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${auth}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
}

const texts = async (conversationId: string, token: string) =>
  ((await call('GET', `/conversations/${conversationId}/activities`, token)).body.activities as any[])
    .filter((a) => a.from?.id !== 'dl-alice')
    .map((a) => String(a.text));

async function until(cond: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("another workspace's key cannot speak as the bot's contact; her campaign message reaches only her", async () => {
  // Alice chats through Direct Line (the bot workspace's own key), then the business adds her email.
  const alice = (
    await call('POST', '/tokens/generate', TEST_API_KEY, { user: { id: 'dl-alice', name: 'Alice' } })
  ).body as { token: string; conversationId: string };
  expect((await call('POST', '/conversations', alice.token)).status).toBe(201);
  await until(async () => (await texts(alice.conversationId, alice.token)).length > 0);
  const contact = (
    (await api('GET', '/contacts?limit=10')).body.items as { _id: string; name: string }[]
  ).find((c) => c.name === 'Alice')!;
  await api('PATCH', `/contacts/${contact._id}`, { email: 'alice@private.example' });

  // Workspace B's key asks for a token as Alice, and opens a conversation with its key as the secret.
  const evilKey = (await api('POST', '/admin/workspaces', { id: 'evil', name: 'Evil' })).body.key
    .key as string;
  const minted = await call('POST', '/tokens/generate', evilKey, {
    user: { id: 'dl-alice', name: 'Mallory' },
  });
  expect(minted).toMatchObject({ status: 403, body: { error: { code: 'DIRECTLINE_WRONG_WORKSPACE' } } });
  expect(minted.body.error.message).toMatch(/bot's workspace/);
  const opened = await call('POST', '/conversations', evilKey);
  expect(opened.status).toBe(403);
  expect(
    await app.conn.db!.collection('directline_conversations').countDocuments({ workspaceId: 'evil' }),
  ).toBe(0);

  // A campaign of the bot's workspace reaches Alice in her own conversation, and only there.
  const list = (await api('POST', '/segments', { name: 'Alice only', type: 'static' })).body._id as string;
  await api('POST', `/segments/${list}/members`, { contactIds: [contact._id] });
  const campaign = await api('POST', '/campaigns', {
    name: 'Private note',
    audience: { segment: 'Alice only' },
    template: { text: 'Hi {{contact.name}}, your receipt goes to {{contact.email}}' },
  });
  expect(campaign.status).toBe(201);
  await api('POST', `/campaigns/${campaign.body._id as string}/start`);
  await until(
    async () => (await api('GET', `/campaigns/${campaign.body._id as string}`)).body.status === 'completed',
  );
  expect((await api('GET', `/campaigns/${campaign.body._id as string}`)).body.counts).toMatchObject({
    sent: 1,
  });
  expect(await texts(alice.conversationId, alice.token)).toContain(
    'Hi Alice, your receipt goes to alice@private.example',
  );
  const refs = await app.conn.db!.collection('conversation_refs').find({ contactId: contact._id }).toArray();
  expect(
    refs.map((r) => (JSON.parse(r.refJson as string) as { conversation: { id: string } }).conversation.id),
  ).toEqual([alice.conversationId]);
});

test('a token dies with the key that issued it', async () => {
  await api('POST', '/admin/workspaces', { id: 'default', name: 'Default' });
  const key = await api('POST', '/admin/workspaces/default/keys', { name: 'web chat' });
  expect(key.status).toBe(201);
  const t = (await call('POST', '/tokens/generate', key.body.key as string)).body as {
    token: string;
    conversationId: string;
  };
  expect((await call('GET', `/conversations/${t.conversationId}/activities`, t.token)).status).toBe(200);

  expect((await api('DELETE', `/admin/workspaces/default/keys/${key.body.id as string}`)).status).toBe(204);
  for (const [method, path] of [
    ['GET', `/conversations/${t.conversationId}/activities`],
    ['POST', '/tokens/refresh'],
    ['POST', '/conversations'],
  ] as const) {
    const r = await call(method, path, t.token);
    expect({ path, status: r.status, code: r.body?.error?.code }).toEqual({
      path,
      status: 401,
      code: 'UNAUTHORIZED',
    });
  }
  const post = await call('POST', `/conversations/${t.conversationId}/activities`, t.token, {
    type: 'message',
    text: 'hi',
  });
  expect(post.status).toBe(401);
});
