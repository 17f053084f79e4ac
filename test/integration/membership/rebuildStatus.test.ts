/**
 * Issue 15, fix 4: a rule edit's rebuild shows its progress (`done` of `total`, running, an ETA),
 * and a preview's impact taken mid-rebuild comes from the rules, not from half-built memberships.
 */
import { IDLE_REBUILD } from '../../../src/infra/membership/rebuild';
import { membershipFixture, WS, type Fixture } from '../../support/membershipFixture';
import { parseRule } from '../../../src/rules';

jest.setTimeout(60_000);
let f: Fixture;
beforeAll(async () => {
  f = await membershipFixture({ rebuildBatch: 50 });
});
afterAll(() => f.close());

test('progress while a rebuild runs, and impact from the rules meanwhile', async () => {
  const template = await f.insertContact({ name: 'template' });
  await f.membership.collections.contacts.insertMany(
    Array.from({ length: 1000 }, (_, i) => ({
      ...template,
      _id: `c${String(i).padStart(5, '0')}`,
      lifetimeValue: i,
    })),
  );
  const seg = await f.segments.create(WS, { name: 'Spenders', rule: 'lifetimeValue > 100' }, 't');
  await f.rebuildAll();
  expect(await f.membership.rebuilder.status(WS)).toEqual(
    new Map([[seg._id, expect.objectContaining({ state: 'done', done: 899, total: 899, etaMs: 0 })]]),
  );
  expect((await f.membership.rebuilder.status('other')).get(seg._id) ?? IDLE_REBUILD).toEqual(IDLE_REBUILD);

  await f.segments.update(WS, seg._id, { rule: 'lifetimeValue > 600' });
  expect((await f.membership.rebuilder.status(WS)).get(seg._id)).toMatchObject({ state: 'pending', done: 0 });
  const running = f.membership.rebuilder.runOnce();
  let seen = false;
  for (let i = 0; i < 2000 && !seen; i++) {
    const st = (await f.membership.rebuilder.status(WS)).get(seg._id)!;
    if (st.state === 'running' && st.done > 0 && st.done < (st.total ?? 0)) {
      seen = true;
      // Candidates: only the members the new rule drops (101..600); the rule is not time-based.
      expect(st.total).toBe(500);
      expect(st.startedAt).toBeInstanceOf(Date);
      expect(typeof st.etaMs).toBe('number');
      // Half-built: members are a mix of the two rules, yet the impact is the rules' own.
      const members = await f.memberIds(seg._id);
      expect(members.length).toBeGreaterThan(399);
      const p = await f.membership.queries.preview(WS, parseRule('lifetimeValue > 300'), seg._id);
      expect(p.count).toBe(699);
      expect(p.impact).toEqual({ enter: 300, exit: 0 });
    } else await new Promise((r) => setTimeout(r, 2));
  }
  expect(seen).toBe(true);
  await running;
  expect((await f.membership.rebuilder.status(WS)).get(seg._id)).toMatchObject({
    state: 'done',
    done: 500,
  });
  expect(await f.memberIds(seg._id)).toHaveLength(399);

  // Widening visits the non-members that now match (51..600), and only them.
  await f.segments.update(WS, seg._id, { rule: 'lifetimeValue > 50' });
  await f.rebuildAll();
  expect((await f.membership.rebuilder.status(WS)).get(seg._id)).toMatchObject({ done: 550, total: 550 });
  expect(await f.memberIds(seg._id)).toHaveLength(949);
});

test('a time-based rule visits every match and member, so each gets its recheck instant', async () => {
  const now = f.membership.clock().getTime();
  const template = await f.insertContact({ name: 'template' });
  await f.membership.collections.contacts.insertMany(
    Array.from({ length: 100 }, (_, i) => ({
      ...template,
      _id: `t${String(i).padStart(5, '0')}`,
      workspaceId: WS,
      lifetimeValue: i,
      lastPurchaseAt: new Date(now - i * 86_400_000 - 3_600_000),
    })),
  );
  const seg = await f.segments.create(
    WS,
    { name: 'Recent', rule: 'lastPurchaseAt within last 30 days' },
    't',
  );
  await f.rebuildAll();
  expect(await f.memberIds(seg._id)).toHaveLength(30);
  // A time-based rule: every current member is visited (the 15 matches are among them).
  await f.segments.update(WS, seg._id, {
    rule: 'lastPurchaseAt within last 30 days AND lifetimeValue < 15',
  });
  await f.rebuildAll();
  expect((await f.membership.rebuilder.status(WS)).get(seg._id)).toMatchObject({ done: 30, total: 30 });
  const member = await f.membership.collections.contacts.findOne({ _id: 't00003' });
  // Member 3 bought 3 days and 1 hour ago: it leaves when that is 30 days ago (to the millisecond).
  const leaves = now - 3 * 86_400_000 - 3_600_000 + 30 * 86_400_000;
  expect(member?.nextRecheckAt?.getTime()).toBeGreaterThanOrEqual(leaves);
  expect(member?.nextRecheckAt?.getTime()).toBeLessThanOrEqual(leaves + 1);
  expect(await f.memberIds(seg._id)).toHaveLength(15);
});
