/**
 * Issue 16 (3): without MICROSOFT_APP_ID anyone can post an activity as any user. Then roles are
 * off unless BOT_ALLOW_UNAUTHENTICATED_ADMINS=true, replies go only to loopback serviceUrls, and a
 * bare user id in BOT_ADMINS does not make that id an admin on every channel.
 */
import { ChannelUser, TestChannel } from '../../bot/cli/channel';
import type { App } from '../../src/app';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';

let channel: TestChannel;
const apps: App[] = [];
beforeAll(async () => (channel = await TestChannel.start()));
afterAll(async () => {
  await channel?.close();
  for (const a of apps) await stopTestApp(a);
});

async function start(name: string, allow: 'true' | 'false') {
  const app = await startTestApp(name, {
    ADMIN_API_KEY: TEST_API_KEY,
    BOT_ADMINS: 'chat-admin',
    BOT_ALLOW_UNAUTHENTICATED_ADMINS: allow,
  });
  apps.push(app);
  const botUrl = `http://127.0.0.1:${app.port}/api/messages`;
  return {
    app,
    api: apiClient(() => app),
    as: (userId: string, channelId?: string) =>
      new ChannelUser(channel, { botUrl, userId, ...(channelId ? { channelId } : {}) }),
  };
}

const texts = (r: { replies: { type?: string; text?: string }[] }) =>
  r.replies
    .filter((a) => a.type === 'message')
    .map((a) => a.text ?? '')
    .join('\n');

test('unauthenticated and not allowed: a configured admin id is refused and nothing changes', async () => {
  const { api, as } = await start('spoof_off', 'false');
  const reply = await as('chat-admin').send('/segment create "Spoofed" where tag = "x"');
  expect(texts(reply)).toMatch(/only for admins/i);
  expect((await api('GET', '/segments')).body.items).toEqual([]);
});

test('allowed: admins work on the local channels, but a bare id on another channel is nobody', async () => {
  const { api, as } = await start('spoof_on', 'true');
  expect(texts(await as('chat-admin', 'msteams').send('/segment create "Teams" where tag = "x"'))).toMatch(
    /only for admins/i,
  );
  expect(texts(await as('chat-admin').send('/segment create "Local" where tag = "x"'))).toMatch(/Local/);
  const names = ((await api('GET', '/segments')).body.items as { name: string }[]).map((s) => s.name);
  expect(names).toEqual(['Local']);
});

test('a serviceUrl off this machine is refused (403) before any turn', async () => {
  const { api, as } = await start('spoof_url', 'true');
  const before = (await api('GET', '/contacts')).body.items as unknown[];
  const r = await as('someone').post({ type: 'message', text: 'hi', serviceUrl: 'http://203.0.113.9:3978/' });
  expect(r.status).toBe(403);
  expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'FORBIDDEN' } });
  expect((await api('GET', '/contacts')).body.items).toEqual(before);
});
