/** The five seed segments hold exactly the right contacts as contacts change. */
import { DAY, membershipFixture, WS, type Fixture } from '../../support/membershipFixture';

let f: Fixture;
const ids: Record<string, string> = {};
beforeAll(async () => {
  f = await membershipFixture();
});
afterAll(() => f.close());

const SEEDS = {
  vip: ['VIP Customers', 'lifetimeValue > 5000 OR tag = "VIP"'],
  inactive: ['Inactive 30 Days', 'lastConversationAt more than 30 days ago'],
  intent: ['High Intent', 'leadScore > 80 AND openDeals > 0'],
  fresh: ['New This Week', 'createdAt within last 7 days'],
  risk: ['At Risk', 'supportTickets > 3 AND NOT lastPurchaseAt within last 60 days'],
} as const;

test('segments created over existing contacts are rebuilt, then follow every change', async () => {
  const now = f.clock.now().getTime();
  const a = await f.insertContact({ name: 'Ann', lifetimeValue: 6000, createdAt: new Date(now - 100 * DAY) });
  const b = await f.insertContact({
    name: 'Bob',
    tags: ['vip'],
    lastConversationAt: new Date(now - 31 * DAY),
    createdAt: new Date(now - 40 * DAY),
  });
  const c = await f.insertContact({
    name: 'Cid',
    leadScore: 90,
    openDeals: 1,
    createdAt: new Date(now - 2 * DAY),
  });
  const d = await f.insertContact({
    name: 'Dee',
    supportTickets: 4,
    lastPurchaseAt: new Date(now - 90 * DAY),
    createdAt: new Date(now - 50 * DAY),
  });
  const e = await f.insertContact({
    name: 'Eve',
    supportTickets: 5,
    lastPurchaseAt: new Date(now - 10 * DAY),
    createdAt: new Date(now - 50 * DAY),
  });

  for (const [key, [name, rule]] of Object.entries(SEEDS)) {
    ids[key] = (await f.segments.create(WS, { name, rule }, 'test'))._id;
  }
  await f.rebuildAll();
  const sorted = (...xs: { _id: string }[]) => xs.map((x) => x._id).sort();
  expect(await f.memberIds(ids.vip!)).toEqual(sorted(a, b));
  expect(await f.memberIds(ids.inactive!)).toEqual(sorted(b));
  expect(await f.memberIds(ids.intent!)).toEqual(sorted(c));
  expect(await f.memberIds(ids.fresh!)).toEqual(sorted(c));
  expect(await f.memberIds(ids.risk!)).toEqual(sorted(d));
  expect((await f.transitions({ cause: 'definition' })).length).toBe(6);

  // Changes move contacts at once, with cause and per-contact sequence.
  await f.updateContact(e._id, { lastPurchaseAt: new Date(now - 61 * DAY) }, 'event');
  await f.updateContact(c._id, { openDeals: 0 }, 'event');
  await f.updateContact(b._id, { tags: [], lastConversationAt: new Date(now) }, 'event');
  expect(await f.memberIds(ids.risk!)).toEqual(sorted(d, e));
  expect(await f.memberIds(ids.intent!)).toEqual([]);
  expect(await f.memberIds(ids.vip!)).toEqual(sorted(a));
  expect(await f.memberIds(ids.inactive!)).toEqual([]);
  const bob = await f.transitions({ contactId: b._id });
  expect(bob.map((t) => [t.kind, t.cause, t.seq])).toEqual([
    ['entered', 'definition', 1],
    ['entered', 'definition', 2],
    ['exited', 'event', 3],
    ['exited', 'event', 4],
  ]);
});
