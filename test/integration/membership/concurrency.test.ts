/**
 * Two engines (separate connections, as two processes would have) race on the same changes;
 * replays change nothing; a rebuild abandoned mid-way (its process "killed") is resumed by
 * another engine. All converge to the memberships a fresh evaluation gives, with every
 * transition recorded exactly once.
 */
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { Membership } from '../../../src/infra/membership';
import { SegmentRepo } from '../../../src/infra/repos/segments';
import { expectConverged } from '../../support/convergence';
import { DAY, membershipFixture, WS, type Fixture } from '../../support/membershipFixture';

let f: Fixture;
let other: { client: MongoClient; membership: Membership };
beforeAll(async () => {
  f = await membershipFixture();
  const client = await MongoClient.connect(f.t.uri);
  const db = client.db(f.t.dbName);
  other = {
    client,
    membership: new Membership(db, new SegmentRepo(db), pino({ level: 'silent' }), {
      clock: () => f.clock.now(),
    }),
  };
});
afterAll(async () => {
  await other.client.close();
  await f.close();
});

function rng(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

test('two engines racing on the same changes record each transition once', async () => {
  await f.segments.create(WS, { name: 'VIP', rule: 'lifetimeValue > 5000 OR tag = "VIP"' }, 't');
  await f.segments.create(WS, { name: 'Intent', rule: 'leadScore > 80 AND openDeals > 0' }, 't');
  await f.segments.create(WS, { name: 'Both', rule: 'in segment "VIP" AND in segment "Intent"' }, 't');
  await f.rebuildAll();
  const random = rng(7);
  const contacts = [];
  for (let i = 0; i < 30; i++)
    contacts.push(await f.insertContact({ lifetimeValue: Math.floor(random() * 10000) }));
  for (let step = 0; step < 300; step++) {
    const c = contacts[Math.floor(random() * contacts.length)]!;
    const set = {
      lifetimeValue: Math.floor(random() * 10000),
      leadScore: Math.floor(random() * 100),
      openDeals: Math.floor(random() * 2),
    };
    await f.membership.collections.contacts.updateOne({ _id: c._id }, { $set: set, $inc: { version: 1 } });
    await Promise.all([
      f.membership.engine.contactChanged(WS, c._id, 'event'),
      other.membership.engine.contactChanged(WS, c._id, 'event'),
    ]);
  }
  await expectConverged(f);
  const before = (await f.transitions()).length;
  expect(before).toBeGreaterThan(50);
  // A replay of every change finds nothing to record.
  for (const c of contacts) await other.membership.engine.contactChanged(WS, c._id, 'event');
  expect((await f.transitions()).length).toBe(before);
});

test('a rebuild abandoned mid-way is resumed by another engine and converges', async () => {
  const now = f.clock.now().getTime();
  const template = (await f.membership.collections.contacts.findOne({ workspaceId: WS }))!;
  await f.membership.collections.contacts.insertMany(
    Array.from({ length: 1200 }, (_, i) => ({
      ...template,
      _id: `bulk${String(i).padStart(5, '0')}`,
      segments: [],
      transitionSeq: 0,
      version: 1,
      // Half-day offsets keep every contact clear of the 7-day boundary while the test runs.
      createdAt: new Date(now - (i % 14) * DAY - DAY / 2),
      // Values that keep them out of the other segments: the bulk insert bypasses the engine.
      lifetimeValue: i * 4,
      leadScore: 0,
      tags: [],
    })),
  );
  const seg = await f.segments.create(
    WS,
    { name: 'Recent', rule: 'createdAt within last 7 days AND lifetimeValue > 100' },
    't',
  );
  // The "killed" process: claims the rebuild, does one batch, and dies (its lease left behind).
  const killed = other.membership.rebuilder as unknown as { batchSize: number };
  killed.batchSize = 300;
  // Rebuilds read the definitions once for the candidates and once per batch: die before batch 2.
  const catalog = other.membership.catalog;
  const original = catalog.get.bind(catalog);
  let calls = 0;
  catalog.get = async (ws) => {
    if (++calls > 2) throw new Error('process killed');
    return original(ws);
  };
  await expect(other.membership.rebuilder.runOnce()).rejects.toThrow('process killed');
  expect((await f.memberIds(seg._id)).length).toBeGreaterThan(0);
  // Its lease expires; any engine picks the rebuild up from the persisted position.
  await f.t.db.collection('segment_rebuilds').updateMany({}, { $set: { leaseUntil: new Date(0) } });
  await f.rebuildAll();
  const expected = (await f.membership.collections.contacts.find({ workspaceId: WS }).toArray())
    .filter((c) => c.createdAt.getTime() >= now - 7 * DAY && c.lifetimeValue > 100)
    .map((c) => c._id)
    .sort();
  expect(await f.memberIds(seg._id)).toEqual(expected);
  await expectConverged(f);
});
