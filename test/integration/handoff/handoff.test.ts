/**
 * Handoff turns on the real database: VIP first in the queue, the initiation event, agent
 * notification, accept/relay/end, racing accepts, one open request per contact, and a fresh
 * instance (a restart) carrying on with what another one queued.
 */
import { HandoffEventNames } from 'botbuilder';
import type { HandoffModule } from '../../../bot/handoff';
import { openTestDb, type TestDb } from '../../support/db';
import { CHANNEL, FakeRoles, FakeSender, makeHandoff, segment, User, WS } from './harness';

const vipSeg = segment('VIP Customers', 10, true);
const intentSeg = segment('High Intent', 50, false);

let t: TestDb;
let sender: FakeSender;
let handoff: HandoffModule;
const current = () => handoff;
const roles = new FakeRoles(['alice', 'bob']);
let vip: User;
let plain: User;
let alice: User;
let bob: User;

beforeAll(async () => {
  t = await openTestDb('handoff');
  await makeHandoff(t.db, new FakeSender(), roles).ensureIndexes();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.db.collection('handoffs').deleteMany({});
  sender = new FakeSender();
  handoff = makeHandoff(t.db, sender, roles);
  vip = new User(current, 'vera', { segments: [intentSeg, vipSeg] });
  plain = new User(current, 'paul', { segments: [intentSeg] });
  alice = new User(current, 'alice', { roles: ['agent'] });
  bob = new User(current, 'bob', { roles: ['agent'] });
});

test('a VIP asking after a non-VIP is first in the queue; the event carries segments; agents are notified', async () => {
  const p = await plain.say('Can I talk to someone?');
  expect(p.handled).toBe(true);
  expect(p.texts).toEqual([expect.stringContaining('number 1 in the queue')]);
  const v = await vip.say('I need a human');
  expect(v.texts).toEqual([expect.stringMatching(/^You're first in line/)]);

  expect(v.events).toHaveLength(1);
  expect(v.events[0]).toMatchObject({
    name: HandoffEventNames.InitiateHandoff,
    value: {
      workspaceId: WS,
      contact: { id: 'contact-vera', name: 'Vera' },
      routing: true,
      priority: 50,
      queuePosition: 1,
      segments: [
        { segmentId: intentSeg._id, name: 'High Intent', priority: 50, routing: false },
        { segmentId: vipSeg._id, name: 'VIP Customers', priority: 10, routing: true },
      ],
    },
  });
  expect(v.events[0]?.relatesTo?.user?.id).toBe('vera');

  await handoff.idle(); // agents are notified after the customer's turn has answered
  for (const agent of ['alice', 'bob']) {
    const got = sender.take(`${CHANNEL}:${agent}`);
    expect(got).toHaveLength(2);
    expect(got[1]).toContain('Vera [VIP] (High Intent, VIP Customers), number 1 in the queue');
  }

  const q = await alice.say('/queue');
  expect(q.handled).toBe(true);
  const lines = q.texts[0]?.split('\n') ?? [];
  expect(lines[0]).toBe('2 waiting:');
  expect(lines[1]).toMatch(/^1\. Vera \[VIP\] \(High Intent, VIP Customers\), waiting \d+ s$/);
  expect(lines[2]).toMatch(/^2\. Paul \(High Intent\), waiting \d+ s$/);
  expect((await current().queue(WS)).map((h) => h.contactName)).toEqual(['Vera', 'Paul']);

  // Asking again does not queue twice.
  expect((await vip.say('/agent')).texts).toEqual([
    expect.stringContaining('already in the queue (number 1)'),
  ]);
  expect(await t.db.collection('handoffs').countDocuments({ contactId: 'contact-vera' })).toBe(1);
});

test('accept, relay both ways, the customer ends it; the bot is out of the way meanwhile', async () => {
  await plain.say('agent please');
  await vip.say('human');
  // Queued: the bot still answers its own words; anything else is kept for the agent who accepts.
  expect((await plain.say('offers')).handled).toBe(false);
  expect(await plain.say('what are your opening hours?')).toMatchObject({
    handled: true,
    texts: [expect.stringMatching(/^Noted: I'll pass that on when a member of our team joins/)],
  });

  const a = await alice.say('/accept');
  expect(a.texts).toEqual([expect.stringContaining("You're now talking with Vera [VIP]")]);
  expect(sender.take('contact-vera')).toEqual([expect.stringContaining("You're now talking with a member")]);

  const fromVip = await vip.say('My order #42 is late');
  expect(fromVip).toMatchObject({ handled: true, texts: [] });
  expect(sender.take(`${CHANNEL}:alice`).pop()).toBe('Vera: My order #42 is late');

  expect((await alice.say('Sorry! Checking now.')).handled).toBe(true);
  expect(sender.take('contact-vera')).toEqual(['Sorry! Checking now.']);

  // Bob is not in a conversation: his plain words are the bot's, and /accept takes the next.
  expect((await bob.say('hello')).handled).toBe(false);
  expect((await bob.say('/accept')).texts[0]).toMatch(
    /^You're now talking with Paul .*\nWhile waiting, Paul wrote:\n- what are your opening hours\?$/s,
  );

  const end = await vip.say('bye');
  expect(end.texts).toEqual([expect.stringContaining("You've ended the conversation")]);
  expect(sender.take(`${CHANNEL}:alice`)).toEqual(['Vera has ended the conversation.']);
  expect((await vip.say('thanks')).handled).toBe(false);
  expect((await alice.say('still there?')).handled).toBe(false);

  const stored = await t.db.collection('handoffs').findOne({ contactId: 'contact-vera' });
  expect(stored).toMatchObject({
    status: 'ended',
    endedBy: 'customer',
    messages: 2,
    agent: { channelId: CHANNEL, userId: 'alice' },
  });

  // The agent can end it too.
  await bob.say('/end');
  expect(sender.take('contact-paul')).toContain(
    'Our team member has ended the conversation. Thanks for your patience! I am the bot again.',
  );
  expect((await bob.say('/end')).texts[0]).toContain("You're not in a conversation");
});

test('two agents racing for the same request: exactly one gets it', async () => {
  await vip.say('real person please');
  const [a, b] = await Promise.all([alice.say('/accept 1'), bob.say('/accept 1')]);
  const texts = [a.texts[0] ?? '', b.texts[0] ?? ''];
  expect(texts.filter((x) => x.startsWith("You're now talking with Vera"))).toHaveLength(1);
  // The loser read the queue either before the winner's update or after it.
  expect(texts.filter((x) => /^(Someone else has just taken Vera|The queue is empty)/.test(x))).toHaveLength(
    1,
  );
  expect(sender.take('contact-vera')).toHaveLength(1);
  expect(await t.db.collection('handoffs').countDocuments({ status: 'active' })).toBe(1);
});

test('the accept itself is atomic: of ten concurrent accepts of one request, one wins', async () => {
  await plain.say('agent');
  const [queued] = await handoff.queue(WS);
  const agents = Array.from({ length: 10 }, (_, i) => ({ channelId: CHANNEL, userId: `agent${i}` }));
  const results = await Promise.all(agents.map((a) => handoff.repo.accept(WS, queued!._id, a, new Date())));
  expect(results.filter((r) => r !== null)).toHaveLength(1);
  expect(await handoff.repo.accept('other-workspace', queued!._id, agents[0]!, new Date())).toBeNull();
});

test('a customer can leave the queue; commands answer clearly', async () => {
  await plain.say('agent');
  expect((await plain.say('end')).texts).toEqual([expect.stringContaining('taken you out of the queue')]);
  expect((await alice.say('/accept')).texts).toEqual(['The queue is empty.']);
  expect((await alice.say('/queue')).texts).toEqual(['The queue is empty.']);
  expect((await alice.say('/accept x')).texts[0]).toMatch(/^Usage: \/accept/);
  await plain.say('agent'); // a new request after the cancelled one
  expect((await alice.say('/accept 2')).texts).toEqual(['There is no number 2: 1 waiting.']);
  expect((await plain.say('hello')).handled).toBe(false);
});

test('restart: a request queued by one instance is listed and accepted by a fresh one', async () => {
  await plain.say('talk to someone');
  await vip.say('agent');
  handoff = makeHandoff(t.db, sender, roles); // `current()` now returns the new instance
  const q = await alice.say('/queue');
  expect(q.texts[0]).toMatch(/1\. Vera .*\n2\. Paul/);
  expect((await alice.say('/accept 2')).texts[0]).toContain('Paul');
  await plain.say('hi there');
  expect(sender.take(`${CHANNEL}:alice`).pop()).toBe('Paul: hi there');
});
