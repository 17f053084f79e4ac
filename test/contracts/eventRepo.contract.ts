/**
 * What EventService relies on from an EventRepo (src/domain/events/types.ts): an eventId is
 * unique per workspace (a replay is answered `duplicate`, also inside one batch, and results come
 * in the batch's order), status moves only from `pending`, and the recovery sweep finds pending
 * events oldest first across workspaces (the one unscoped query).
 */
import type { EventRepo, StoredEvent } from '../../src/domain/events/types';
import { expectPlainRecord } from './plain';

const A = 'ws-a';
const B = 'ws-b';
const T0 = new Date('2024-03-01T10:00:00.000Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

export function describeEventRepoContract(name: string, make: () => Promise<EventRepo> | EventRepo): void {
  describe(`EventRepo contract: ${name}`, () => {
    let repo: EventRepo;
    beforeEach(async () => {
      repo = await make();
    });
    const anEvent = (
      workspaceId: string,
      eventId: string,
      extra: Partial<StoredEvent> = {},
    ): StoredEvent => ({
      _id: repo.newId(),
      workspaceId,
      eventId,
      type: 'purchase',
      contactId: 'c-1',
      at: T0,
      data: { amount: 12.5, currency: 'EUR' },
      status: 'pending',
      receivedAt: T0,
      ...extra,
    });

    test('an inserted event reads back equal, as a plain record; missing → null', async () => {
      const e = anEvent(A, 'evt-1');
      expect(await repo.insert({ ...e })).toBe('inserted');
      const got = await repo.find(A, 'evt-1');
      expect(got).toEqual(e);
      expectPlainRecord(got);
      expect(await repo.find(A, 'evt-2')).toBeNull();
    });

    test('an eventId is unique per workspace: a replay is `duplicate` and keeps the first', async () => {
      const e = anEvent(A, 'evt-1');
      await repo.insert(e);
      expect(await repo.insert(anEvent(A, 'evt-1', { contactId: 'c-other' }))).toBe('duplicate');
      expect(await repo.find(A, 'evt-1')).toEqual(e);
      expect(await repo.insert(anEvent(B, 'evt-1'))).toBe('inserted');
      expect(await repo.find(B, 'evt-1')).not.toBeNull();
      expect(await repo.find(B, 'evt-2')).toBeNull();
    });

    test('insertMany answers per event in order, duplicates inside the batch included', async () => {
      await repo.insert(anEvent(A, 'old'));
      const batch = ['new-1', 'old', 'new-2', 'new-1', 'new-3'].map((id, i) =>
        anEvent(A, id, { contactId: `c-${i}` }),
      );
      expect(await repo.insertMany(batch)).toEqual([
        'inserted',
        'duplicate',
        'inserted',
        'duplicate',
        'inserted',
      ]);
      // The first of the two `new-1` is the one kept.
      expect((await repo.find(A, 'new-1'))?.contactId).toBe('c-0');
      expect(await repo.insertMany([])).toEqual([]);
    });

    test('markApplied and markFailed move a pending event once; other workspaces are untouched', async () => {
      await repo.insert(anEvent(A, 'evt-1'));
      await repo.insert(anEvent(A, 'evt-2'));
      await repo.insert(anEvent(B, 'evt-1'));
      await repo.markApplied(A, 'evt-1', at(10));
      expect(await repo.find(A, 'evt-1')).toMatchObject({ status: 'applied', appliedAt: at(10) });
      expect((await repo.find(B, 'evt-1'))?.status).toBe('pending');
      // Not pending any more: neither mark changes it.
      await repo.markFailed(A, 'evt-1', 'late failure', at(20));
      await repo.markApplied(A, 'evt-1', at(30));
      const applied = await repo.find(A, 'evt-1');
      expect(applied).toMatchObject({ status: 'applied', appliedAt: at(10) });
      expect(applied).not.toHaveProperty('error');
      await repo.markFailed(A, 'evt-2', 'contact not found', at(40));
      expect(await repo.find(A, 'evt-2')).toMatchObject({ status: 'failed', error: 'contact not found' });
      await repo.markApplied(A, 'evt-2', at(50));
      expect((await repo.find(A, 'evt-2'))?.status).toBe('failed');
      // Marking what does not exist is harmless.
      await repo.markApplied(A, 'nope', at(60));
      await repo.markFailed(A, 'nope', 'x', at(60));
    });

    test('markAppliedMany marks the named pending events of that workspace only', async () => {
      for (const id of ['e1', 'e2', 'e3']) await repo.insert(anEvent(A, id));
      await repo.insert(anEvent(B, 'e1'));
      await repo.markFailed(A, 'e3', 'boom', at(5));
      await repo.markAppliedMany(A, ['e1', 'e3', 'missing'], at(10));
      await repo.markAppliedMany(A, [], at(11));
      expect(await repo.find(A, 'e1')).toMatchObject({ status: 'applied', appliedAt: at(10) });
      expect((await repo.find(A, 'e2'))?.status).toBe('pending');
      expect((await repo.find(A, 'e3'))?.status).toBe('failed');
      expect((await repo.find(B, 'e1'))?.status).toBe('pending');
    });

    test('findPending: pending events received before the instant, oldest first, across workspaces, at most limit', async () => {
      await repo.insert(anEvent(A, 'late', { receivedAt: at(30) }));
      await repo.insert(anEvent(B, 'early', { receivedAt: at(10) }));
      await repo.insert(anEvent(A, 'mid', { receivedAt: at(20) }));
      await repo.insert(anEvent(A, 'done', { receivedAt: at(5) }));
      await repo.insert(anEvent(A, 'failed', { receivedAt: at(6) }));
      await repo.insert(anEvent(A, 'at-the-limit', { receivedAt: at(40) }));
      await repo.markApplied(A, 'done', at(7));
      await repo.markFailed(A, 'failed', 'x', at(7));
      const pending = await repo.findPending(at(40), 10);
      expect(pending.map((e) => `${e.workspaceId}/${e.eventId}`)).toEqual([
        'ws-b/early',
        'ws-a/mid',
        'ws-a/late',
      ]);
      pending.forEach(expectPlainRecord);
      expect((await repo.findPending(at(40), 2)).map((e) => e.eventId)).toEqual(['early', 'mid']);
    });
  });
}
