/**
 * Reports on the real test database with a movable clock: exact comparison numbers from a known
 * data set, the daily history across several days (transitions, then snapshots that survive the
 * feed being emptied), the snapshot job's idempotency, and freshness (a stuck rebuild, a sweeper
 * behind).
 */
import { DAY_MS } from '../../../src/domain/reports/history';
import { Reports } from '../../../src/infra/reports';
import { DAY, membershipFixture, WS, type Fixture } from '../../support/membershipFixture';

let f: Fixture;
let reports: Reports;
/** 2026-11-10T12:00:00Z, whatever the real date. */
const START = Date.UTC(2026, 10, 10, 12);

beforeAll(async () => {
  f = await membershipFixture();
  f.clock.offsetMs = START - Date.now();
  reports = new Reports(f.t.db, f.repo, f.membership);
  await reports.ensureIndexes();
});
afterAll(async () => {
  await reports.close();
  await f.close();
});

const at = (days: number) => {
  f.clock.offsetMs = START + days * DAY - Date.now();
};

test('comparison table: exact members, averages, handoffs and opted-out share', async () => {
  const rich = await f.segments.create(WS, { name: 'Rich', rule: 'lifetimeValue >= 1000' }, 't');
  const chatty = await f.segments.create(WS, { name: 'Chatty', rule: 'conversationCount >= 2' }, 't');
  const empty = await f.segments.create(WS, { name: 'Nobody', rule: 'lifetimeValue > 1000000' }, 't');
  await f.rebuildAll();
  const a = await f.insertContact({ lifetimeValue: 1000, leadScore: 50, conversationCount: 2 });
  await f.insertContact({ lifetimeValue: 3000, conversationCount: 0, optedOut: true });
  await f.insertContact({ lifetimeValue: 2000, leadScore: 70, conversationCount: 4 });
  await f.insertContact({ lifetimeValue: 10, leadScore: 10, conversationCount: 6 });
  await f.t.db.collection('handoffs').insertMany([
    { workspaceId: WS, contactId: a._id },
    { workspaceId: WS, contactId: a._id },
    { workspaceId: 'other-ws', contactId: a._id },
  ]);

  const rows = await reports.service.compare(WS, [rich._id, chatty._id, empty._id]);
  expect(rows).toEqual([
    {
      id: rich._id,
      name: 'Rich',
      members: 3,
      avgLifetimeValue: 2000,
      avgLeadScore: 60, // the contact without a score is not averaged in
      conversationsPerMember: 2,
      handoffs: 2,
      optedOutShare: 1 / 3,
      deliveryRate: null,
      replyRate: null,
      asOf: expect.any(Date),
    },
    {
      id: chatty._id,
      name: 'Chatty',
      members: 3,
      avgLifetimeValue: (1000 + 2000 + 10) / 3,
      avgLeadScore: (50 + 70 + 10) / 3,
      conversationsPerMember: 4,
      handoffs: 2,
      optedOutShare: 0,
      deliveryRate: null,
      replyRate: null,
      asOf: expect.any(Date),
    },
    {
      id: empty._id,
      name: 'Nobody',
      members: 0,
      avgLifetimeValue: null,
      avgLeadScore: null,
      conversationsPerMember: null,
      handoffs: 0,
      optedOutShare: null,
      deliveryRate: null,
      replyRate: null,
      asOf: expect.any(Date),
    },
  ]);
  await expect(reports.service.compare(WS, [rich._id, 'nope'])).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await expect(reports.service.compare('other-ws', [rich._id])).rejects.toMatchObject({ code: 'NOT_FOUND' });
  for (const s of [rich, chatty, empty]) await f.segments.delete(WS, s._id);
  await f.rebuildAll();
  await f.membership.collections.contacts.deleteMany({ workspaceId: WS });
});

test('campaign rates over current members: sent / finished deliveries, replied / sent', async () => {
  const rich = await f.segments.create(WS, { name: 'Rich', rule: 'lifetimeValue >= 1000' }, 't');
  await f.rebuildAll();
  const a = await f.insertContact({ lifetimeValue: 1000 });
  const b = await f.insertContact({ lifetimeValue: 2000 });
  const poor = await f.insertContact({ lifetimeValue: 5 });
  const d = (contactId: string, status: string, n: number, extra = {}) => ({
    _id: `run:${contactId}:${n}`,
    workspaceId: WS,
    campaignId: 'c',
    runId: `run${n}`,
    contactId,
    status,
    ...extra,
  });
  await f.t.db.collection<{ _id: string }>('campaign_deliveries').insertMany([
    d(a._id, 'sent', 1, { repliedAt: new Date() }),
    d(a._id, 'sent', 2),
    d(a._id, 'failed', 3),
    d(b._id, 'skipped', 1),
    d(b._id, 'pending', 2), // not finished: not counted
    d(poor._id, 'sent', 1), // not a member
    { ...d(a._id, 'sent', 4), workspaceId: 'other-ws' },
  ]);
  const [row] = await reports.service.compare(WS, [rich._id], 0);
  expect(row).toMatchObject({ members: 2, deliveryRate: 2 / 4, replyRate: 1 / 2 });
  await f.t.db.collection('campaign_deliveries').deleteMany({});
  await f.segments.delete(WS, rich._id);
  await f.rebuildAll();
  await f.membership.collections.contacts.deleteMany({ workspaceId: WS });
});

test('member figures are precomputed: served with their asOf until too old, refreshed in the background, exact with maxAge 0', async () => {
  at(0);
  const rich = await f.segments.create(WS, { name: 'Rich', rule: 'lifetimeValue >= 1000' }, 't');
  await f.rebuildAll();
  const c = await f.insertContact({ lifetimeValue: 1000 });
  const first = (await reports.service.compare(WS, [rich._id]))[0]!;
  const recent = (d: Date) => Math.abs(d.getTime() - f.clock.now().getTime()) < 2000;
  expect(first).toMatchObject({ members: 1, avgLifetimeValue: 1000 });
  expect(recent(first.asOf)).toBe(true);
  await f.insertContact({ lifetimeValue: 3000 });
  await f.updateContact(c._id, { lifetimeValue: 2000 });

  // Within the refresh age: the stored figures, with the time they were computed.
  f.clock.offsetMs += 10_000;
  expect((await reports.service.compare(WS, [rich._id]))[0]).toEqual(first);
  // Exact on request (the API's maxAge=0), and stored for the next reader.
  const exact = (await reports.service.compare(WS, [rich._id], 0))[0]!;
  expect(exact).toMatchObject({ members: 2, avgLifetimeValue: 2500 });
  expect(exact.asOf.getTime()).toBeGreaterThan(first.asOf.getTime() + 9000);

  // Older than the refresh age (30 s): served once more, recomputed behind the answer.
  await f.updateContact(c._id, { lifetimeValue: 4000 });
  f.clock.offsetMs += 60_000;
  expect((await reports.service.compare(WS, [rich._id]))[0]).toEqual(exact);
  await reports.memberStats.idle();
  expect((await reports.service.compare(WS, [rich._id]))[0]).toMatchObject({ avgLifetimeValue: 3500 });

  // Older than the maximum age (15 min): recomputed before answering.
  await f.updateContact(c._id, { lifetimeValue: 1000 });
  f.clock.offsetMs += 16 * 60_000;
  const late = (await reports.service.compare(WS, [rich._id]))[0]!;
  expect(late.avgLifetimeValue).toBe(2000);
  expect(recent(late.asOf)).toBe(true);
  await f.segments.delete(WS, rich._id);
  await f.rebuildAll();
  await f.membership.collections.contacts.deleteMany({ workspaceId: WS });
});

test('history across days: transitions per day, snapshots written once, and kept when the feed is gone', async () => {
  at(0);
  const seg = await f.segments.create(WS, { name: 'Spenders', rule: 'lifetimeValue > 100' }, 't');
  await f.rebuildAll();
  const c = [];
  for (let i = 0; i < 3; i++) c.push(await f.insertContact({ lifetimeValue: 200 }));
  at(1);
  await f.updateContact(c[0]!._id, { lifetimeValue: 50 });
  await f.insertContact({ lifetimeValue: 300 });
  await f.insertContact({ lifetimeValue: 400 });
  at(2);
  await f.updateContact(c[1]!._id, { lifetimeValue: 0 });

  const day = (n: number) => new Date(START + n * DAY_MS).toISOString().slice(0, 10);
  const expected = [
    { day: day(-1), size: 0, entered: 0, exited: 0 }, // before the segment existed
    { day: day(0), size: 3, entered: 3, exited: 0 },
    { day: day(1), size: 4, entered: 2, exited: 1 },
    { day: day(2), size: 3, entered: 0, exited: 1 },
  ];
  expect((await reports.service.segment(WS, seg._id, 4)).history).toEqual(expected);

  // The job (day 2) snapshots the complete days since creation: days 0 and 1, once.
  expect(await reports.snapshots.run(WS)).toBe(2);
  expect(await reports.snapshots.run(WS)).toBe(0);
  const snaps = await reports.collections.snapshots
    .find(
      { workspaceId: WS, segmentId: seg._id },
      { projection: { _id: 0, takenAt: 0, workspaceId: 0, segmentId: 0 } },
    )
    .sort({ day: 1 })
    .toArray();
  expect(snaps).toEqual(expected.slice(1, 3));

  // With the feed emptied, the snapshots still give days 0 and 1; the days after come from the live size.
  await f.membership.collections.transitions.deleteMany({ workspaceId: WS, segmentId: seg._id });
  at(3);
  await f.insertContact({ lifetimeValue: 999 });
  const r = await reports.service.segment(WS, seg._id, 5);
  expect(r.size).toBe(4);
  // Day 2 (no snapshot, its transitions gone): its size is still right (4 now − 1 entered
  // today = 3), its own entries and exits are no longer known.
  expect(r.history).toEqual([
    ...expected.slice(0, 3),
    { day: day(2), size: 3, entered: 0, exited: 0 },
    { day: day(3), size: 4, entered: 1, exited: 0 },
  ]);
  expect(await reports.snapshots.runAll()).toBe(1);
  expect(await reports.collections.snapshots.findOne({ segmentId: seg._id, day: day(2) })).toMatchObject({
    size: 3,
  });
});

test('freshness: a stuck rebuild and a sweeper behind make a segment stale', async () => {
  const seg = await f.segments.create(WS, { name: 'Recent', rule: 'createdAt within last 7 days' }, 't');
  await f.rebuildAll();
  let [r] = await reports.service.overview(WS, 3).then((all) => all.filter((x) => x.id === seg._id));
  expect(r!.freshness).toMatchObject({ state: 'fresh', sweeperLagMs: 0, rebuild: { state: 'done' } });
  expect(Date.now() - Date.parse(r!.freshness.exactAsOf!)).toBeLessThan(5000);

  // A contact due for its time-based recheck 8 s ago that nobody has swept.
  const c = await f.insertContact({});
  await f.membership.collections.contacts.updateOne(
    { _id: c._id },
    { $set: { nextRecheckAt: new Date(f.clock.now().getTime() - 8000) } },
  );
  r = await reports.service.segment(WS, seg._id, 3);
  expect(r.freshness.state).toBe('stale');
  expect(r.freshness.sweeperLagMs).toBeGreaterThanOrEqual(8000);
  expect(r.freshness.reasons).toEqual([expect.stringMatching(/^sweeper \d+ ms behind$/)]);
  await f.membership.sweep();
  expect((await reports.service.segment(WS, seg._id, 3)).freshness.state).toBe('fresh');

  // A rebuild requested 10 minutes ago, leased far ahead by a process that never finished it.
  await reports.collections.rebuilds.updateOne(
    { _id: `${WS}:${seg._id}` },
    {
      $set: {
        done: false,
        requestedAt: new Date(Date.now() - 600_000),
        leaseUntil: new Date(Date.now() + 3_600_000),
      },
    },
  );
  r = await reports.service.segment(WS, seg._id, 3);
  expect(r.freshness).toMatchObject({ state: 'stale', exactAsOf: null, reasons: ['rebuild stuck'] });
  expect(r.freshness.rebuild!.state).toBe('stuck');
});
