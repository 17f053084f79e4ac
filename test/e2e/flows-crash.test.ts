/**
 * SIGKILL of the real process (`node dist/src/main.js`) during a workflow: once mid-wait, once
 * between a message's send and its record (the channel holds the answer while we kill). After
 * each restart the contact gets every welcome message exactly once, or an `unknown` record for
 * the one interrupted mid-send, never a duplicate.
 */
/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return --
   JSON bodies of HTTP responses: the assertions check them. */
import { ChannelUser, TestChannel } from '../../bot/cli/channel';
import { openTestDb, testServerUri, type TestDb } from '../support/db';
import { eventually, flowTexts } from '../support/flowWait';
import { startMain, type Started } from '../support/processes';

jest.setTimeout(120_000);

const KEY = 'test-admin-key-0123456789';
const DAY = 86_400_000;
const SCALE = 3000 / DAY; // 1 day → 3 s
const WELCOME = /^(Welcome, \w+! Thanks for joining us|Tip of the day|One last thing)/;
let tdb: TestDb;
let channel: TestChannel;
const running: Started[] = [];

const env = () => ({
  MONGODB_URI: testServerUri(),
  DB_NAME: tdb.dbName,
  PORT: '0',
  ADMIN_API_KEY: KEY,
  FLOW_TIME_SCALE: String(SCALE),
  FLOW_LOCK_MS: '1000',
  AGENDA_PROCESS_EVERY_MS: '100',
  BOT_WELCOME: 'flow', // the welcome flow sends all three messages (the default leaves the first to the bot)
});
const start = async () => {
  const s = await startMain(env());
  running.push(s);
  return s;
};
const api = async (p: Started, method: string, path: string, body?: unknown) => {
  const res = await fetch(`http://127.0.0.1:${p.port}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await res.json()) as Record<string, any>;
};

beforeAll(async () => {
  tdb = await openTestDb('flowcrash');
  channel = await TestChannel.start();
});
afterAll(async () => {
  for (const s of running) s.child.kill('SIGKILL');
  await channel?.close();
  await tdb?.close();
});

test('killed mid-wait and between send and record: each welcome message once or `unknown`, never twice', async () => {
  const p1 = await start();
  expect(
    (await api(p1, 'POST', '/segments', { name: 'New This Week', rule: 'createdAt within last 7 days' }))
      .name,
  ).toBe('New This Week');
  const kim = new ChannelUser(channel, {
    botUrl: `http://127.0.0.1:${p1.port}/api/messages`,
    userId: 'kim',
    userName: 'Kim',
  });
  await kim.send('hi');
  const contactId = (await api(p1, 'GET', '/contacts?limit=10')).items[0]._id as string;

  // 1. Mid-wait: the first message is sent and recorded, the instance waits for its timer.
  const waiting = await eventually(
    async () => (await api(p1, 'GET', `/flows/instances?contactId=${contactId}`)).items[0],
    (i) => i?.status === 'running' && i.state === 'hello',
  );
  expect(new Date(waiting.nextWakeAt).getTime()).toBeGreaterThan(Date.now());
  p1.child.kill('SIGKILL');
  await p1.exited;

  // 2. Between send and record: the channel receives "Tip of the day" and never answers; we kill.
  const box: { p2?: Started } = {};
  channel.hold((a) => /^Tip of the day/.test(a.text ?? ''));
  channel.onActivity((a) => {
    if (/^Tip of the day/.test(a.text ?? '')) box.p2?.child.kill('SIGKILL');
  });
  box.p2 = await start();
  await box.p2.exited;
  channel.hold();
  expect(flowTexts(channel, kim.conversationId, WELCOME)).toHaveLength(2);

  // 3. The last process finishes the flow: welcome-2 is `unknown`, welcome-3 arrives once.
  const p3 = await start();
  const done = await eventually(
    async () => (await api(p3, 'GET', `/flows/instances?contactId=${contactId}`)).items[0],
    (i) => i?.status === 'done',
    30_000,
  );
  const explained = await api(p3, 'GET', `/flows/instances/${encodeURIComponent(done.id)}`);
  expect(explained.steps.map((s: any) => s.status)).toEqual(['sent', 'unknown', 'sent']);
  expect(flowTexts(channel, kim.conversationId, WELCOME).map((t) => t.slice(0, 14))).toEqual([
    'Welcome, Kim! ',
    'Tip of the day',
    'One last thing',
  ]);
  p3.child.kill('SIGTERM');
  expect(await p3.exited).toBe(0);
});
