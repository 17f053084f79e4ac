/**
 * One welcome for a new person with BOT_WELCOME=flow: the welcome flow's first message is the
 * welcome and the bot does not greet too; when no welcome flow is bound for them, the bot greets
 * (so nobody goes unanswered). The default (BOT_WELCOME=greeting) is driven by test/e2e/chat/.
 */

import { ChannelUser, TestChannel } from '../../bot/cli/channel';
import type { App } from '../../src/app';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';
import { eventually, pause } from '../support/flowWait';

let app: App;
let channel: TestChannel;
const api = apiClient(() => app);
const user = (userId: string) =>
  new ChannelUser(channel, { botUrl: `http://127.0.0.1:${app.port}/api/messages`, userId, userName: userId });
const texts = (u: ChannelUser) => channel.receivedIn(u.conversationId).map((a) => a.text ?? '');

beforeAll(async () => {
  app = await startTestApp('welcome', {
    ADMIN_API_KEY: TEST_API_KEY,
    FLOWS_BUILT_IN: 'true',
    BOT_WELCOME: 'flow',
    AGENDA_PROCESS_EVERY_MS: '100',
  });
  channel = await TestChannel.start();
  expect(
    (await api('POST', '/segments', { name: 'New This Week', rule: 'createdAt within last 7 days' })).status,
  ).toBe(201);
});
afterAll(async () => {
  await channel?.close();
  if (app) await stopTestApp(app);
});

test("a new person says hi: one welcome, the flow's, and no greeting from the bot as well", async () => {
  const wyn = user('Wyn');
  const r = await wyn.send('hi');
  expect(r.replies).toEqual([]);
  await eventually(
    () => texts(wyn),
    (t) => t.length > 0,
  );
  await pause(300); // anything else on its way would arrive now
  expect(texts(wyn)).toEqual(['Welcome, Wyn! Thanks for joining us. Type "help" any time.']);
});

test('with the welcome flow unbound, the bot greets a new person itself', async () => {
  const bindings = (await api('GET', '/flows/bindings')).body.items as { _id: string; flowId: string }[];
  const welcome = bindings.find((b) => b.flowId === 'welcome')!;
  expect(
    (await api('PATCH', `/flows/bindings/${encodeURIComponent(welcome._id)}`, { enabled: false })).status,
  ).toBe(200);
  await pause(1100); // the runtime caches bindings for a second
  const zoe = user('Zoe');
  const r = await zoe.send('hi');
  expect(r.replies.map((a) => a.text)).toEqual([
    expect.stringMatching(/^Welcome, Zoe, and thanks for joining us this week!/),
  ]);
  await pause(300);
  expect(texts(zoe)).toHaveLength(1);
});
