/**
 * The proactive sender through the whole app and a real channel (issue 12, "fix first"): a dead
 * channel is `failed` with the reason within the send timeout (it used to be `sent` after ~10 s),
 * `toUser` honours "stop" (agents' work notices exempt), and a customer's request for a person is
 * answered at once even when an agent's stored conversation is unreachable.
 */
import { ChannelUser, TestChannel } from '../../bot/cli/channel';
import type { App } from '../../src/app';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';

let app: App;
let live: TestChannel;
let botUrl: string;
const api = apiClient(() => app);
// Well above the ~5.4 s botbuilder's retries take to give up on a refused connection (6 s was
// too tight under a full suite's load), so the dead channel answers with its own error; a
// customer's turn that waited for it would take over 5 s.
const TIMEOUT_MS = 15_000;

beforeAll(async () => {
  app = await startTestApp('proactive', {
    ADMIN_API_KEY: TEST_API_KEY,
    BOT_AGENTS: 'agent-gone',
    PROACTIVE_SEND_TIMEOUT_MS: String(TIMEOUT_MS),
  });
  live = await TestChannel.start();
  botUrl = `http://127.0.0.1:${app.port}/api/messages`;
});
afterAll(async () => {
  await live?.close();
  if (app) await stopTestApp(app);
});

/** A user who talked once through a channel that has closed since: their reference is dead. */
async function userOnDeadChannel(userId: string): Promise<ChannelUser> {
  const doomed = await TestChannel.start();
  const u = new ChannelUser(doomed, { botUrl, userId });
  await u.send('hi');
  await doomed.close();
  return u;
}

async function contactIdOf(name: string): Promise<string> {
  const items = (await api('GET', '/contacts?limit=100')).body.items as { _id: string; name: string }[];
  return items.find((c) => c.name === name)!._id;
}

test('a closed channel is failed with the reason, within the send timeout', async () => {
  await userOnDeadChannel('dora');
  const id = await contactIdOf('dora');
  const t0 = Date.now();
  const r = await app.bot.proactive.sendToContact('default', id, 'Flash sale!');
  expect(Date.now() - t0).toBeLessThan(TIMEOUT_MS + 1000);
  expect(r.status).toBe('failed');
  expect(r.error).toMatch(/ECONNREFUSED/);
});

test('toUser: a user who said stop is not messaged, unless it is an exempt work notice', async () => {
  const sam = new ChannelUser(live, { botUrl, userId: 'sam' });
  await sam.send('stop');
  const mark = live.received.length;
  expect(await app.bot.proactive.toUser('default', 'chat-cli', 'sam', 'Big news!')).toBe('opted-out');
  expect(
    await app.bot.proactive.toUser('default', 'chat-cli', 'sam', 'New request', { respectOptOut: false }),
  ).toBe('sent');
  expect(live.receivedIn(sam.conversationId, mark).map((a) => a.text)).toEqual(['New request']);
});

test("an unreachable agent does not hold up the customer's request for a person", async () => {
  await userOnDeadChannel('agent-gone'); // the only agent; their stored conversation is dead
  const cara = new ChannelUser(live, { botUrl, userId: 'cara' });
  await cara.send('hi');
  const t0 = Date.now();
  const r = await cara.send('can I talk to a human?');
  expect(Date.now() - t0).toBeLessThan(3000); // waiting for the dead agent took over 5 s
  expect(r.replies.map((a) => a.text ?? '').join(' ')).toMatch(/queue/i);
});
