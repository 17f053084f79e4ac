/**
 * The composed app has every port wired: one command of each family, sent through the real
 * `/api/messages` by an admin, an agent and a customer, is answered by the part it belongs to, and
 * none answers "not ready", "off" or the turn-error apology. A port the composition root forgot
 * (the flow admin once was: every `/flow…` command failed while its unit test, with a hand-made
 * admin, passed) fails here.
 */
import { ChannelUser, TestChannel } from '../../bot/cli/channel';
import { APOLOGY } from '../../bot/errors';
import type { App } from '../../src/app';
import { startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';

jest.setTimeout(60_000);
let app: App;
let channel: TestChannel;
const as = (userId: string) =>
  new ChannelUser(channel, { botUrl: `http://127.0.0.1:${app.port}/api/messages`, userId });

beforeAll(async () => {
  app = await startTestApp('composition', {
    ADMIN_API_KEY: TEST_API_KEY,
    BOT_ADMINS: 'boss',
    BOT_AGENTS: 'amy',
    FLOWS_BUILT_IN: 'true',
  });
  channel = await TestChannel.start();
});
afterAll(async () => {
  await channel?.close();
  if (app) await stopTestApp(app);
});

const UNWIRED = /not ready|are off|is off|not available|not configured/i;

async function ask(user: ChannelUser, text: string): Promise<string> {
  const r = await user.send(text);
  expect(r.status).toBe(200);
  const reply = r.replies.map((a) => String(a.text ?? '')).join('\n');
  expect({ text, reply }).toEqual({ text, reply: expect.not.stringMatching(UNWIRED) as unknown });
  expect(reply).not.toContain(APOLOGY);
  return reply;
}

test('every command family reaches the part that serves it', async () => {
  const boss = as('boss');
  // Segments (segment service + membership), reports, contacts, campaigns and flows (admin ports).
  expect(await ask(boss, '/segment create "Big spenders" where lifetimeValue > 5000')).toMatch(
    /Created "Big spenders"/,
  );
  expect(await ask(boss, '/segments')).toMatch(/Big spenders/);
  expect(await ask(boss, '/report "Big spenders"')).toMatch(/Big spenders/);
  expect(await ask(boss, '/contact boss')).toMatch(/boss/);
  expect(await ask(boss, '/campaign status "nope"')).toMatch(/nope/);
  expect(await ask(boss, '/flows')).toMatch(/welcome/i);
  expect(await ask(boss, '/flow instances welcome')).toMatch(/welcome/i);
  // The handoff (agent side) and the conversation handler (customer side).
  expect(await ask(as('amy'), '/queue')).toMatch(/queue|waiting|no one/i);
  expect(await ask(as('carl'), 'offers')).not.toBe('');
});
