/**
 * BOT_PERSONALISATION=false over real HTTP: a contact a purchase made VIP still gets the default
 * greeting and offer, while the contact, its conversation and its membership are kept as usual.
 */
import { ChannelUser, TestChannel } from '../../bot/cli/channel';
import type { App } from '../../src/app';
import { startTestApp, stopTestApp } from '../support/app';

const KEY = 'test-admin-key-0123456789';
let app: App;
let channel: TestChannel;

const api = async (method: string, p: string, body?: unknown) => {
  const res = await fetch(`http://127.0.0.1:${app.port}/api/v1${p}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await res.json()) as Record<string, any>;
};
const texts = (r: { replies: { text?: string }[] }) => r.replies.map((a) => a.text ?? '');

beforeAll(async () => {
  app = await startTestApp('bot_unpersonalised', { ADMIN_API_KEY: KEY, BOT_PERSONALISATION: 'false' });
  channel = await TestChannel.start();
});
afterAll(async () => {
  await channel?.close();
  if (app) await stopTestApp(app);
});

test('off: a VIP contact gets the default greeting and offer', async () => {
  const vip = await api('POST', '/segments', {
    name: 'VIP Customers',
    rule: 'lifetimeValue > 5000 OR tag = "VIP"',
    priority: 100,
  });
  const vera = new ChannelUser(channel, {
    botUrl: `http://127.0.0.1:${app.port}/api/messages`,
    userId: 'vera',
    userName: 'Vera',
  });
  expect(texts(await vera.send('hi'))[0]).toMatch(/^Hello Vera! I'm the Segments assistant/);
  const id = ((await api('GET', '/contacts?limit=10')).items as { _id: string; name: string }[]).find(
    (c) => c.name === 'Vera',
  )!._id;
  const ev = await api('POST', '/events', [
    { eventId: 'e2e-off-buy-1', contactId: id, type: 'purchase', data: { amount: 6000, currency: 'EUR' } },
  ]);
  expect(ev.results[0].status).toBe('applied');
  const contact = await api('GET', `/contacts/${id}`);
  expect(contact.segments).toEqual([expect.objectContaining({ segmentId: vip._id })]);

  const again = texts(await vera.send('hello'));
  expect(again).toEqual([expect.stringMatching(/^Hello Vera! I'm the Segments assistant/)]);
  expect(again[0]).not.toContain('VIP');
  expect(texts(await vera.send('offers'))).toEqual([expect.not.stringMatching(/VIP/)]);
  // Three messages in one conversation are one conversation (issue 13 fix 2).
  expect((await api('GET', `/contacts/${id}`)).conversationCount).toBe(1);
});
