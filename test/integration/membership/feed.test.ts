/**
 * Paging the transitions feed while changes keep arriving (and the dispatcher keeps moving):
 * every transition is seen exactly once, in position order, scoped to the workspace.
 */
import { membershipFixture, WS, type Fixture } from '../../support/membershipFixture';

let f: Fixture;
beforeAll(async () => {
  f = await membershipFixture();
});
afterAll(() => f.close());

test('no gaps and no repeats under concurrent changes', async () => {
  await f.segments.create(WS, { name: 'Big', rule: 'lifetimeValue > 50' }, 't');
  await f.segments.create(WS, { name: 'Tagged', rule: 'tag = "x"' }, 't');
  await f.rebuildAll();
  const contacts = [];
  for (let i = 0; i < 20; i++) contacts.push(await f.insertContact({ lifetimeValue: i * 10 }));

  let writing = true;
  const writer = (async () => {
    for (let step = 0; step < 200; step++) {
      const c = contacts[step % contacts.length]!;
      await f.updateContact(
        c._id,
        { lifetimeValue: (step * 37) % 100, tags: step % 3 ? [] : ['x'] },
        'event',
      );
    }
    writing = false;
  })();
  const dispatcher = (async () => {
    while (writing) await f.membership.dispatcher.dispatchOnce();
  })();

  const seen: number[] = [];
  let cursor = 0;
  for (;;) {
    const page = await f.membership.queries.transitions(WS, cursor, 7, {});
    seen.push(...page.items.map((t) => t.position));
    cursor = page.nextCursor;
    if (!writing && page.items.length === 0) {
      await f.membership.dispatcher.dispatchOnce();
      const rest = await f.membership.queries.transitions(WS, cursor, 1000, {});
      seen.push(...rest.items.map((t) => t.position));
      break;
    }
  }
  await Promise.all([writer, dispatcher]);
  const all = (await f.transitions()).map((t) => t.position);
  expect(all.length).toBeGreaterThan(100);
  expect(seen).toEqual(all); // same positions, same order, once each
  expect(await f.membership.queries.transitions('another-workspace', 0, 1000, {})).toMatchObject({
    items: [],
  });
});
