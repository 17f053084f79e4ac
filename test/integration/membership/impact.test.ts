/**
 * Issue 13 fix 4: the impact of an edit is computed from the rules, so an edit while the segment
 * is still being rebuilt (right after it was created) reports the real entries and exits, not
 * "everyone enters" from half-built memberships.
 */
import { parseRule } from '../../../src/rules';
import { membershipFixture, WS, type Fixture } from '../../support/membershipFixture';

let f: Fixture;
beforeAll(async () => {
  f = await membershipFixture();
});
afterAll(async () => f.close());

test('an edit right after create (no rebuild has run) reports enter/exit from the rules', async () => {
  // 12 contacts: lifetimeValue 100, 200, …, 1200
  for (let i = 1; i <= 12; i++) await f.insertContact({ name: `c${i}`, lifetimeValue: i * 100 });
  const s = await f.segments.create(WS, { name: 'Big', rule: 'lifetimeValue > 300' }, 'test');
  // The rebuild is queued but not run: nobody is a member yet.
  expect(await f.memberIds(s._id)).toEqual([]);
  const p = await f.membership.queries.preview(WS, s.rule!, undefined, 1);
  expect(p.count).toBe(9);
  const edit = await f.membership.queries.preview(
    WS,
    parseRule('lifetimeValue > 500 OR lifetimeValue = 200'),
    s._id,
    1,
  );
  // > 300 is 400..1200 (9); the new rule is 200 and 600..1200 (8): 200 enters, 400 and 500 exit.
  expect(edit.impact).toEqual({ enter: 1, exit: 2 });
  expect(edit.count).toBe(8);

  // After the rebuild the same edit reports the same impact.
  await f.rebuildAll();
  expect(await f.memberIds(s._id)).toHaveLength(9);
  const again = await f.membership.queries.preview(
    WS,
    parseRule('lifetimeValue > 500 OR lifetimeValue = 200'),
    s._id,
    1,
  );
  expect(again.impact).toEqual({ enter: 1, exit: 2 });
});
