/**
 * Conversation-aware segments end to end (issue 13 "Build"): what a person says to the bot and
 * whether they wait for an agent move them in and out of segments at once, over real HTTP, the
 * real Bot Framework protocol (TestChannel) and the real membership engine.
 */
import { ChannelUser, TestChannel } from '../../bot/cli/channel';
import type { App } from '../../src/app';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';

let app: App;
let channel: TestChannel;
const api = apiClient(() => app);
const seg: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestApp('convrules', { ADMIN_API_KEY: TEST_API_KEY, BOT_AGENTS: 'cr-agent' });
  channel = await TestChannel.start();
  for (const [name, rule] of [
    ['Refund Risk', 'asked about "refund" at least 2 times in last 14 days'],
    ['Chatty', 'conversations in last 7 days >= 2'],
    ['Waiting', 'handoff open'],
  ]) {
    const r = await api('POST', '/segments', { name, rule });
    expect(r.status).toBe(201);
    seg[name!] = r.body._id as string;
  }
});
afterAll(async () => {
  await channel?.close();
  if (app) await stopTestApp(app);
});

const user = (conversationId: string) =>
  new ChannelUser(channel, {
    botUrl: `http://127.0.0.1:${app.port}/api/messages`,
    userId: 'cr-user',
    userName: 'Rita',
    conversationId,
  });
const contact = async () =>
  (await api('GET', '/contacts?channelId=chat-cli&userId=cr-user')).body.items[0] as {
    _id: string;
    segments: { segmentId: string }[];
    conversationCount: number;
  };
const inSegment = async (name: string) => (await contact()).segments.some((m) => m.segmentId === seg[name]);

test('asking about refunds twice puts the contact in "Refund Risk"; explain shows the count', async () => {
  const rita = user('cr-1');
  await rita.send('Hi, I want a refund');
  expect(await inSegment('Refund Risk')).toBe(false);
  await rita.send('How do I get my money back?');
  expect(await inSegment('Refund Risk')).toBe(true);
  const { _id } = await contact();
  const x = await api('GET', `/contacts/${_id}/segments/${seg['Refund Risk']}/explain`);
  expect(x.body).toMatchObject({ result: true, tree: { actual: 2, result: true } });
  expect(typeof x.body.nextFlip).toBe('string');
});

test('a second conversation makes the contact "Chatty"; one conversation did not', async () => {
  expect(await inSegment('Chatty')).toBe(false);
  await user('cr-2').send('hello again');
  expect(await contact()).toMatchObject({ conversationCount: 2 });
  expect(await inSegment('Chatty')).toBe(true);
});

test('waiting for an agent is "handoff open" until the customer ends it', async () => {
  const rita = user('cr-2');
  await rita.send('can I talk to someone?');
  expect(await inSegment('Waiting')).toBe(true);
  await rita.send('end');
  expect(await inSegment('Waiting')).toBe(false);
});
