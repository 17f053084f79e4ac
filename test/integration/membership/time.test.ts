/**
 * Time-based transitions at the exact instant: the sweeper, running as in production, moves
 * contacts within 5 s after their 7-day / 30-day mark (cause `time`); an event takes them out at once.
 */
import { DAY, membershipFixture, WS, type Fixture } from '../../support/membershipFixture';

let f: Fixture;
beforeAll(async () => {
  f = await membershipFixture({ sweepEveryMs: 100 });
});
afterAll(() => f.close());

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('New This Week: leaves within 5 s after the 7-day mark; Inactive 30 Days: enters likewise, then a conversation takes it out', async () => {
  const fresh = await f.segments.create(
    WS,
    { name: 'New This Week', rule: 'createdAt within last 7 days' },
    't',
  );
  const inactive = await f.segments.create(
    WS,
    { name: 'Inactive 30 Days', rule: 'lastConversationAt more than 30 days ago' },
    't',
  );
  await f.rebuildAll();
  const now = f.clock.now().getTime();
  const newbie = await f.insertContact({ createdAt: new Date(now - 7 * DAY + 10_000) });
  const quiet = await f.insertContact({
    createdAt: new Date(now - 90 * DAY),
    lastConversationAt: new Date(now - 30 * DAY + 10_000),
  });
  expect(await f.memberIds(fresh._id)).toEqual([newbie._id]);
  expect(await f.memberIds(inactive._id)).toEqual([]);
  const sevenDayMark = now - 7 * DAY + 10_000 + 7 * DAY;
  const thirtyDayMark = now + 10_000;

  f.membership.start();
  f.clock.offsetMs += 9_000; // one second before both marks
  await new Promise((r) => setTimeout(r, 300));
  expect(await f.memberIds(fresh._id)).toEqual([newbie._id]); // not early

  const exited = await waitFor(
    async () => (await f.transitions({ contactId: newbie._id, kind: 'exited' }))[0],
    8000,
  );
  expect(exited.cause).toBe('time');
  expect(exited.at.getTime() - sevenDayMark).toBeGreaterThan(0);
  expect(exited.at.getTime() - sevenDayMark).toBeLessThan(5000);

  const entered = await waitFor(
    async () => (await f.transitions({ contactId: quiet._id, kind: 'entered' }))[0],
    8000,
  );
  expect(entered).toMatchObject({ cause: 'time', segmentId: inactive._id });
  expect(entered.at.getTime() - thirtyDayMark).toBeGreaterThan(0);
  expect(entered.at.getTime() - thirtyDayMark).toBeLessThan(5000);

  await f.updateContact(quiet._id, { lastConversationAt: f.clock.now() }, 'event');
  expect(await f.memberIds(inactive._id)).toEqual([]);
  expect((await f.transitions({ contactId: quiet._id, kind: 'exited' }))[0]?.cause).toBe('event');
});
