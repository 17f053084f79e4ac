/**
 * The durable timeout with a real Agenda on the test database: an unanswered request gets the
 * apology and keeps the customer's next message; an accepted one is left alone; and a timeout
 * scheduled before a "restart" fires in the next process's Agenda.
 */
import pino from 'pino';
import type { HandoffModule } from '../../../bot/handoff';
import { createScheduler, type Scheduler } from '../../../src/infra/scheduler';
import { openTestDb, type TestDb } from '../../support/db';
import { CHANNEL, FakeRoles, FakeSender, makeHandoff, segment, User } from './harness';

const TIMEOUT_MS = 400;
const log = pino({ level: 'silent' });
const roles = new FakeRoles(['alice']);
const vipSeg = segment('VIP Customers', 10, true);

let t: TestDb;
const schedulers: Scheduler[] = [];
let instances = 0;
let handoff: HandoffModule;
const current = () => handoff;

async function startInstance(sender: FakeSender): Promise<HandoffModule> {
  const scheduler = createScheduler(t.db, { processEveryMs: 100, name: `handoff-${++instances}`, log });
  schedulers.push(scheduler);
  const h = makeHandoff(t.db, sender, roles, {
    agenda: scheduler.agenda,
    timeoutMs: TIMEOUT_MS,
    // Agenda keeps a timer of half the lock alive after each run: short, so jest can exit.
    jobLockMs: 1000,
  });
  h.defineJobs();
  await scheduler.start();
  return h;
}

async function waitFor<T>(fn: () => Promise<T | undefined> | T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  t = await openTestDb('handoff_timeout');
});
// Each test's processes go away before the next test: a live Agenda from an earlier test would
// otherwise take the next test's jobs with its own (stale) sender.
afterEach(async () => {
  for (const s of schedulers.splice(0)) await s.stop(2000);
});
afterAll(() => t.close());

test('nobody accepts: apology, then the next message is kept as a left message', async () => {
  const sender = new FakeSender();
  handoff = await startInstance(sender);
  await handoff.ensureIndexes();
  const vera = new User(current, 'vera', { segments: [vipSeg] });
  await vera.say('agent');
  const apology = await waitFor(() => sender.inbox.get('contact-vera')?.[0]);
  expect(apology).toMatch(
    /^Sorry, nobody from our team is free right now\. If you'd like to leave a message/,
  );
  const expired = await handoff.repo.current('ws-handoff', 'contact-vera');
  expect(expired).toMatchObject({ status: 'expired', awaitingMessage: true });
  expect(await handoff.queue('ws-handoff')).toEqual([]);

  const left = await vera.say('Please call me back on Monday');
  expect(left).toMatchObject({ handled: true, texts: [expect.stringContaining('passed your message on')] });
  expect(await handoff.repo.get('ws-handoff', expired!._id)).toMatchObject({
    awaitingMessage: false,
    leftMessage: { text: 'Please call me back on Monday' },
  });
  expect((await vera.say('thanks')).handled).toBe(false); // only one message is kept
});

test('an accepted request: its timeout is cancelled and would do nothing anyway', async () => {
  const sender = new FakeSender();
  handoff = await startInstance(sender);
  const paul = new User(current, 'paul');
  const alice = new User(current, 'alice', { roles: ['agent'] });
  await paul.say('human');
  const [queued] = await handoff.queue('ws-handoff');
  expect(queued?.timeoutJobId).toEqual(expect.any(String));
  await alice.say('/accept');
  sender.take('contact-paul');
  await new Promise((r) => setTimeout(r, TIMEOUT_MS + 500));
  expect(sender.take('contact-paul')).toEqual([]);
  expect(await handoff.repo.get('ws-handoff', queued!._id)).toMatchObject({ status: 'active' });
  expect(await t.db.collection('agendaJobs').countDocuments({ name: 'handoff.timeout' })).toBe(0);
  await alice.say('/end');
});

test('restart: a timeout scheduled by a stopped process fires in the next one', async () => {
  const first = new FakeSender();
  handoff = await startInstance(first);
  const rita = new User(current, 'rita');
  await rita.say('talk to someone');
  await schedulers.at(-1)!.stop(1000); // the process goes away before the timeout is due

  const second = new FakeSender();
  handoff = await startInstance(second);
  expect(await waitFor(() => second.inbox.get('contact-rita')?.[0])).toMatch(/^Sorry, nobody/);
  expect(first.inbox.get('contact-rita')).toBeUndefined();
  expect(second.inbox.get(`${CHANNEL}:alice`)).toBeUndefined(); // the notice went out in the first life
});
