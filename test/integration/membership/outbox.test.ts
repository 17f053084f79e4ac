/**
 * A process that died after the guarded membership write but before moving its outbox: the
 * recovery pass finds the contact, moves its transitions once, and leaves locked outboxes alone.
 */
import { flushStale } from '../../../src/infra/membership/flush';
import { membershipFixture, WS, type Fixture } from '../../support/membershipFixture';

let f: Fixture;
beforeAll(async () => {
  f = await membershipFixture();
});
afterAll(() => f.close());

test('stranded outboxes are moved by the recovery pass; a held lease is respected', async () => {
  const list = await f.segments.create(WS, { name: 'Stranded' }, 't');
  const a = await f.insertContact({ name: 'A' });
  const b = await f.insertContact({ name: 'B' });
  const pending = (contactId: string) => ({
    workspaceId: WS,
    contactId,
    segmentId: list._id,
    kind: 'entered' as const,
    at: f.clock.now(),
    cause: 'manual' as const,
    seq: 1,
  });
  const contacts = f.membership.collections.contacts;
  await contacts.updateOne(
    { _id: a._id },
    { $set: { pendingTransitions: [pending(a._id)], transitionSeq: 1 } },
  );
  await contacts.updateOne(
    { _id: b._id },
    {
      $set: {
        pendingTransitions: [pending(b._id)],
        transitionSeq: 1,
        flushLockUntil: new Date(Date.now() + 60_000),
      },
    },
  );

  expect(await flushStale(f.membership.collections)).toBe(1);
  expect((await f.transitions()).map((t) => t._id)).toEqual([`${a._id}:1`]);
  expect((await contacts.findOne({ _id: a._id }))?.pendingTransitions).toEqual([]);
  expect((await contacts.findOne({ _id: b._id }))?.pendingTransitions).toHaveLength(1);

  // Once b's lease has expired, b is moved too; a second pass finds nothing.
  await contacts.updateOne({ _id: b._id }, { $set: { flushLockUntil: new Date(0) } });
  expect(await flushStale(f.membership.collections)).toBe(1);
  expect(await flushStale(f.membership.collections)).toBe(0);
  expect((await f.transitions()).map((t) => t._id).sort()).toEqual([`${a._id}:1`, `${b._id}:1`].sort());
});
