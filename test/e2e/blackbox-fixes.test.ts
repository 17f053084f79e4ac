/**
 * Issue 13, fixes found by a black-box run, over real HTTP (the app in-process, a TestChannel for
 * the Bot Framework side): the join greeting is already personalised (1), conversationCount counts
 * conversations (2), contacts can be found by who they are and unknown parameters are refused (3),
 * each role has its own help and refusal (5), loose text still matches (7), and REST responses
 * show a public contact after membership (8).
 */
import { ChannelUser, TestChannel } from '../../bot/cli/channel';
import type { App } from '../../src/app';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';

let app: App;
let channel: TestChannel;
let botUrl: string;
const api = apiClient(() => app);
const user = (userId: string, userName: string, conversationId?: string) =>
  new ChannelUser(channel, { botUrl, userId, userName, ...(conversationId ? { conversationId } : {}) });
const texts = (r: { replies: { text?: string }[] }) => r.replies.map((a) => a.text ?? '');
const byIdentity = async (userId: string) =>
  (await api('GET', `/contacts?channelId=chat-cli&userId=${userId}`)).body.items[0] as Record<string, any>;

beforeAll(async () => {
  app = await startTestApp('blackbox', {
    ADMIN_API_KEY: TEST_API_KEY,
    BOT_ADMINS: 'bb-admin',
    BOT_AGENTS: 'bb-agent',
  });
  channel = await TestChannel.start();
  botUrl = `http://127.0.0.1:${app.port}/api/messages`;
  const created = await api('POST', '/segments', {
    name: 'New This Week',
    rule: 'createdAt within last 7 days',
    priority: 10,
  });
  expect(created.status).toBe(201);
});
afterAll(async () => {
  await channel?.close();
  if (app) await stopTestApp(app);
});

test('fix 1: a new user joining gets the New This Week greeting at once, not the default', async () => {
  const r = await user('bb-new', 'Nina').join();
  expect(texts(r)).toEqual([expect.stringMatching(/^Welcome, Nina, and thanks for joining us this week!/)]);
});

test('fix 2: three messages in one conversation are one conversation; a new conversation id is another', async () => {
  const first = user('bb-conv', 'Carl', 'bb-conv-1');
  for (const text of ['hello', 'offers', 'thanks']) await first.send(text);
  const c = await byIdentity('bb-conv');
  expect(c.conversationCount).toBe(1);
  expect(new Date(c.lastMessageAt as string).getTime()).toBeGreaterThan(0);
  await user('bb-conv', 'Carl', 'bb-conv-2').send('hi again');
  expect((await byIdentity('bb-conv')).conversationCount).toBe(2);
});

test('fix 3: GET /contacts finds by email, externalId, channel identity, tag and segment', async () => {
  const a = (await api('POST', '/contacts', { name: 'Lu', email: 'Lu@Example.com', externalId: 'crm-lu' }))
    .body;
  const b = (await api('POST', '/contacts', { name: 'Mo', tags: ['Gold'] })).body;
  const ids = async (q: string) => {
    const r = await api('GET', `/contacts?${q}`);
    expect(r.status).toBe(200);
    return (r.body.items as { _id: string }[]).map((x) => x._id);
  };
  expect(await ids('email=lu%40example.com')).toEqual([a._id]);
  expect(await ids('email=LU%40EXAMPLE.COM')).toEqual([a._id]);
  expect(await ids('externalId=crm-lu')).toEqual([a._id]);
  expect(await ids('externalId=nobody')).toEqual([]);
  expect(await ids('tag=gold')).toEqual([b._id]);
  expect(await ids('tag=gold&email=lu%40example.com')).toEqual([]);
  const nina = await byIdentity('bb-new');
  expect(nina.name).toBe('Nina');
  const segs = (await api('GET', '/segments')).body.items as { _id: string }[];
  const inNew = await ids(`segment=${segs[0]!._id}&limit=200`);
  expect(inNew).toEqual(expect.arrayContaining([a._id, b._id, nina._id]));
});

test('fix 3: unknown or malformed query parameters are a 400 and list nothing', async () => {
  const unknown = await api('GET', '/contacts?name=Lu');
  expect(unknown).toMatchObject({ status: 400, body: { error: { code: 'UNKNOWN_PARAMETER' } } });
  expect(unknown.body.error.details.path).toBe('name');
  expect(await api('GET', '/contacts?channelId=chat-cli')).toMatchObject({
    status: 400,
    body: { error: { code: 'VALIDATION_FAILED', details: { path: 'userId' } } },
  });
  expect((await api('GET', '/contacts?email=not-an-email')).status).toBe(400);
  expect((await api('GET', '/contacts?tag[$ne]=x')).status).toBe(400);
});

test('fix 8: responses show the public contact, with segments after re-evaluation', async () => {
  const vip = (await api('POST', '/segments', { name: 'VIP', rule: 'tag = "VIP"', priority: 100 })).body;
  const c = (await api('POST', '/contacts', { name: 'Pat' })).body;
  const tagged = await api('POST', `/contacts/${c._id}/tags`, { add: ['vip'] });
  expect(tagged.status).toBe(200);
  expect(tagged.body.segments.map((m: { segmentId: string }) => m.segmentId)).toContain(vip._id);
  const responses = [
    tagged.body,
    (await api('GET', `/contacts/${c._id}`)).body,
    (await api('PATCH', `/contacts/${c._id}`, { phone: '+1 555' })).body,
    (await api('PUT', `/contacts/${c._id}/custom/plan`, { value: 'pro' })).body,
    ...(await api('GET', '/contacts?limit=200')).body.items,
  ];
  for (const body of responses) {
    for (const internal of [
      'pendingTransitions',
      'flushLockUntil',
      'transitionSeq',
      'version',
      'nextRecheckAt',
      'workspaceId',
      'recentMessageIds',
      'tagKeys',
    ])
      expect(body).not.toHaveProperty(internal);
  }
});

test('fix 5: an agent gets agent help; a customer typing /queue is told it is for agents', async () => {
  const agentHelp = texts(await user('bb-agent', 'Amy').send('/help'))[0];
  expect(agentHelp).toContain('/queue');
  expect(agentHelp).toContain('/inbox');
  expect(agentHelp).not.toMatch(/only for/);
  expect(texts(await user('bb-cust', 'Cy').send('/queue'))[0]).toMatch(/only for agents/);
  expect(texts(await user('bb-cust', 'Cy').send('/segments'))[0]).toMatch(/only for admins/);
  const customerHelp = texts(await user('bb-cust', 'Cy').send('/help'))[0];
  expect(customerHelp).toMatch(/^Here is what I can do/);
  const adminHelp = texts(await user('bb-admin', 'Ada').send('/help'))[0];
  expect(adminHelp).toMatch(/^Admin commands/);
});

test('fix 7: zero-width, bidi and full-width characters do not defeat commands; polite opt-out works', async () => {
  const zed = user('bb-zed', 'Zed');
  expect(texts(await zed.send('\u200bｈｅｌｌｏ\u200e'))[0]).toMatch(/Zed/);
  expect(texts(await user('bb-admin', 'Ada').send('\u200f/segments\u200b'))[0]).toMatch(/^Segments \(/);
  expect(texts(await zed.send('Please stop sending me messages'))[0]).toMatch(/unsubscribed/);
  expect((await byIdentity('bb-zed')).optedOut).toBe(true);
  expect(texts(await zed.send('\u2066start\u2069'))[0]).toMatch(/subscribed again/);
  expect((await byIdentity('bb-zed')).optedOut).toBe(false);
});
