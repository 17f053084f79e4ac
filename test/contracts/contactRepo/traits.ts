/**
 * ContactRepo trait changes (events): counters add up, dates only move forward, a lead score
 * never goes back in time, an event id applies once, and each write marks the contact for
 * re-evaluation. Missing or another workspace's contact: nothing changes.
 */
import { A, aContact, at, B, expectStored, type CurrentRepo } from './fixtures';

export function traitsContract(repo: CurrentRepo): void {
  test('applyTraits adds counters, keeps the later date, sets a score, bumps version and marks', async () => {
    const c = aContact(A, 'c-1', { lifetimeValue: 10, purchaseCount: 1, lastPurchaseAt: at(100) });
    await repo().insert(c);
    const ok = await repo().applyTraits(
      A,
      c._id,
      {
        inc: { lifetimeValue: 5.5, purchaseCount: 1, supportTickets: 2 },
        max: { lastPurchaseAt: at(50), lastConversationAt: at(70) },
        set: { leadScore: 80, leadScoreAt: at(70) },
      },
      at(200),
    );
    expect(ok).toBe(true);
    expectStored(
      await repo().findById(A, c._id),
      {
        ...c,
        lifetimeValue: 15.5,
        purchaseCount: 2,
        supportTickets: 2,
        lastPurchaseAt: at(100), // an earlier purchase does not move it back
        lastConversationAt: at(70),
        leadScore: 80,
        leadScoreAt: at(70),
        version: 2,
        updatedAt: at(200),
      },
      at(200),
    );
  });

  test('applyTraits on a missing contact or from another workspace is false and changes nothing', async () => {
    const c = aContact(A, 'c-1');
    await repo().insert(c);
    expect(await repo().applyTraits(A, 'nope', { inc: { purchaseCount: 1 } }, at(5))).toBe(false);
    expect(await repo().applyTraits(B, c._id, { inc: { purchaseCount: 1 } }, at(5))).toBe(false);
    expectStored(await repo().findById(A, c._id), c, c.updatedAt);
  });

  test('applyEvent applies an event id once; a replay is `already` and changes nothing', async () => {
    const c = aContact(A, 'c-1');
    await repo().insert(c);
    const change = { inc: { lifetimeValue: 30, purchaseCount: 1 }, max: { lastPurchaseAt: at(10) } };
    expect(await repo().applyEvent(A, c._id, 'evt-1', change, at(20))).toBe('applied');
    expect(await repo().applyEvent(A, c._id, 'evt-1', change, at(30))).toBe('already');
    expect(await repo().applyEvent(A, c._id, 'evt-2', change, at(40))).toBe('applied');
    const want = {
      ...c,
      lifetimeValue: 60,
      purchaseCount: 2,
      lastPurchaseAt: at(10),
      version: 3,
      updatedAt: at(40),
    };
    expectStored(await repo().findById(A, c._id), want, at(40));
  });

  test('applyEvent with an older lead score only records the event: the newer score stays', async () => {
    const c = aContact(A, 'c-1', { leadScore: 90, leadScoreAt: at(100) });
    await repo().insert(c);
    const older = { set: { leadScore: 10, leadScoreAt: at(50) }, requires: { leadScoreNotAfter: at(50) } };
    expect(await repo().applyEvent(A, c._id, 'evt-old', older, at(200))).toBe('recorded');
    expect(await repo().findById(A, c._id)).toMatchObject({ leadScore: 90, leadScoreAt: at(100) });
    expect(await repo().applyEvent(A, c._id, 'evt-old', older, at(210))).toBe('already');
    const newer = { set: { leadScore: 20, leadScoreAt: at(150) }, requires: { leadScoreNotAfter: at(150) } };
    expect(await repo().applyEvent(A, c._id, 'evt-new', newer, at(220))).toBe('applied');
    expect(await repo().findById(A, c._id)).toMatchObject({ leadScore: 20, leadScoreAt: at(150) });
  });

  test('applyEvent on a missing contact or from another workspace is `missing` and changes nothing', async () => {
    const c = aContact(A, 'c-1');
    await repo().insert(c);
    expect(await repo().applyEvent(A, 'nope', 'evt-1', { inc: { purchaseCount: 1 } }, at(5))).toBe('missing');
    expect(await repo().applyEvent(B, c._id, 'evt-1', { inc: { purchaseCount: 1 } }, at(5))).toBe('missing');
    expectStored(await repo().findById(A, c._id), c, c.updatedAt);
    // The id was not used up by the refused attempts.
    expect(await repo().applyEvent(A, c._id, 'evt-1', { inc: { purchaseCount: 1 } }, at(6))).toBe('applied');
  });
}
