/**
 * Issue 13 fix 6, handoff blind spots: a message left after the timeout reaches the agents and
 * stays in `/inbox`; agents hear when a waiting customer gives up; a customer a VIP goes ahead of
 * hears their new place; and the contact's handoff state follows (for `handoff open` rules).
 */
import pino from 'pino';
import { createHandoff, type HandoffModule } from '../../../bot/handoff';
import { HandoffRepo } from '../../../src/infra/repos/handoffs';
import type { HandoffState } from '../../../src/domain/conversations/service';
import { openTestDb, type TestDb } from '../../support/db';
import { CHANNEL, FakeRoles, FakeSender, segment, User, WS } from './harness';

let t: TestDb;
let handoff: HandoffModule;
const sender = new FakeSender();
const states: { contactId: string; state: HandoffState }[] = [];
const vip = segment('VIP Customers', 10, true);
const alice = `${CHANNEL}:alice`;

beforeAll(async () => {
  t = await openTestDb('handoff_blind');
  handoff = createHandoff({
    repo: new HandoffRepo(t.db),
    roles: new FakeRoles(['alice']),
    sender,
    timeoutMs: 60_000,
    log: pino({ level: 'silent' }),
    activity: { setHandoff: async (_ws, contactId, state) => void states.push({ contactId, state }) },
  });
  await handoff.ensureIndexes();
});
afterAll(() => t.close());

const current = () => handoff;

test('a VIP going ahead tells those behind their new place; agents hear when someone gives up', async () => {
  const bob = new User(current, 'bob');
  const cat = new User(current, 'cat');
  const vera = new User(current, 'vera', { segments: [vip] });
  await bob.say('agent');
  await cat.say('talk to someone');
  sender.take(alice);
  expect((await vera.say('agent')).texts).toContain(
    "You're first in line: a member of our team will be with you shortly. Type end to cancel.",
  );
  expect(sender.take('contact-bob')).toEqual([expect.stringMatching(/you're now number 2 in the queue/)]);
  expect(sender.take('contact-cat')).toEqual([expect.stringMatching(/you're now number 3 in the queue/)]);
  expect(sender.take('contact-vera')).toEqual([]);
  expect(sender.take(alice)).toEqual([expect.stringMatching(/^New request: Vera \[VIP\]/)]);

  expect((await bob.say('end')).handled).toBe(true);
  expect(sender.take(alice)).toEqual([expect.stringMatching(/^Bob \(no segments\) stopped waiting/)]);
  expect(states.filter((s) => s.contactId === 'contact-bob').map((s) => s.state?.status ?? null)).toEqual([
    'waiting',
    null,
  ]);
});

test('a message left after the timeout reaches the agents and stays in /inbox', async () => {
  const dan = new User(current, 'dan');
  await dan.say('human please');
  const open = await handoff.repo.openForContact(WS, 'contact-dan');
  // What the timeout job does (tested with a real Agenda in timeout.test.ts).
  await handoff.repo.expire(WS, open!._id, new Date());
  sender.take(alice);
  expect((await dan.say('Please call me back about my invoice')).texts).toEqual([
    expect.stringMatching(/^Thanks, I've passed your message on/),
  ]);
  expect(sender.take(alice)).toEqual([
    expect.stringMatching(/^Dan \(no segments\) left a message: "Please call me back about my invoice"/),
  ]);
  const agent = new User(current, 'alice', { roles: ['agent'] });
  const inbox = (await agent.say('/inbox')).texts[0];
  expect(inbox).toMatch(/^Left messages \(newest first, 1\):/);
  expect(inbox).toContain('"Please call me back about my invoice"');
});

test('accepting and ending mirror connected and closed onto the contact', async () => {
  const vera = new User(current, 'vera', { segments: [vip] });
  const agent = new User(current, 'alice', { roles: ['agent'] });
  await handoff.repo.end(
    WS,
    (await handoff.repo.openForContact(WS, 'contact-cat'))!._id,
    'agent',
    new Date(),
  );
  expect((await agent.say('/accept')).texts[0]).toMatch(/^You're now talking with Vera/);
  await vera.say('bye');
  const mine = states.filter((s) => s.contactId === 'contact-vera').map((s) => s.state?.status ?? null);
  expect(mine).toEqual(['waiting', 'connected', null]);
});
