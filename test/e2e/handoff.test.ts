/**
 * Human handoff over real HTTP, through the whole app: a VIP and a non-VIP ask for a person (the
 * non-VIP first), the agent's queue lists the VIP first, the agent accepts, messages relay both
 * ways through the channel, and the customer ends it.
 */
import { ChannelUser, TestChannel } from '../../bot/cli/channel';
import type { App } from '../../src/app';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';
import { waitUntil } from '../support/processes';

const KEY = TEST_API_KEY;
let app: App;
let channel: TestChannel;
let botUrl: string;

const api = apiClient(() => app);
const user = (userId: string, userName: string) => new ChannelUser(channel, { botUrl, userId, userName });
const texts = (r: { replies: { type?: string; text?: string }[] }) =>
  r.replies.filter((a) => a.type === 'message').map((a) => a.text ?? '');
const inbox = (u: ChannelUser, from: number) =>
  channel.receivedIn(u.conversationId, from).map((a) => a.text ?? `[${String(a.type)}]`);

beforeAll(async () => {
  app = await startTestApp('handoff', { ADMIN_API_KEY: KEY, BOT_AGENTS: 'agent-amy' });
  channel = await TestChannel.start();
  botUrl = `http://127.0.0.1:${app.port}/api/messages`;
});
afterAll(async () => {
  await channel?.close();
  if (app) await stopTestApp(app);
});

test('VIP first in the queue; accept; relay both ways; the customer ends it', async () => {
  await api('POST', '/segments', {
    name: 'VIP Customers',
    rule: 'tag = "VIP"',
    priority: 100,
    routing: true,
  });
  const agent = user('agent-amy', 'Amy');
  const nora = user('nora', 'Nora');
  const vic = user('vic', 'Vic');
  await agent.send('hi'); // agents are notified through their stored conversation
  await nora.send('hi');
  await vic.send('hi');
  const vicId = ((await api('GET', '/contacts?limit=50')).body.items as { _id: string; name: string }[]).find(
    (c) => c.name === 'Vic',
  )!._id;
  await api('POST', `/contacts/${vicId}/tags`, { add: ['VIP'] });

  const agentMark = channel.received.length;
  expect(texts(await nora.send('can I talk to a human please'))).toEqual([expect.stringMatching(/queue/i)]);
  const vicAsk = await vic.send('agent');
  expect(vicAsk.replies.some((a) => a.type === 'event' && a.name === 'handoff.initiate')).toBe(true);
  const initiation = vicAsk.replies.find((a) => a.type === 'event')!;
  expect(JSON.stringify(initiation.value)).toContain('VIP Customers');
  // Agents are notified after the customer's turn has answered.
  const notices = () => inbox(agent, agentMark).filter((t) => t.startsWith('New request'));
  expect(await waitUntil(() => notices().length === 2, 5000)).toBe(true);

  const queue = texts(await agent.send('/queue')).join('\n');
  expect(queue.indexOf('Vic')).toBeGreaterThanOrEqual(0);
  expect(queue.indexOf('Vic')).toBeLessThan(queue.indexOf('Nora'));

  const vicMark = channel.received.length;
  expect(texts(await agent.send('/accept')).join(' ')).toMatch(/talking with .*Vic/);
  await agent.send('Hello Vic, how can I help?');
  expect(inbox(vic, vicMark)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/now talking with a member/),
      'Hello Vic, how can I help?',
    ]),
  );

  const relayMark = channel.received.length;
  const fromVic = await vic.send('my order is late');
  expect(texts(fromVic)).toEqual([]); // the bot stays quiet: the message is the agent's
  expect(inbox(agent, relayMark)).toEqual(['Vic: my order is late']);

  const endMark = channel.received.length;
  expect(texts(await vic.send('bye'))).toEqual([expect.stringMatching(/ended the conversation/)]);
  expect(inbox(agent, endMark)).toEqual(['Vic has ended the conversation.']);
  // Nora is still waiting, now first in line.
  expect(texts(await agent.send('/queue')).join('\n')).toMatch(/1\..*Nora/s);
});
