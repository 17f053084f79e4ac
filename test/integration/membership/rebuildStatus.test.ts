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
      // Candidates: the new rule's matches (399) plus the current members (899), overlapping.
      expect(st.total).toBe(899);
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
    done: 899,
  });
  expect(await f.memberIds(seg._id)).toHaveLength(399);
});
