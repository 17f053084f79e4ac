/**
 * Moves a contact's embedded outbox into `segment_transitions`. One flusher per contact at a time
 * (a short real-time lease in the contact), positions allocated in seq order, inserts that may
 * repeat (unique key: a replay is a no-op), then the flushed entries are pulled. A crash anywhere
 * leaves the entries in the contact, and `flushStale` finishes the job later.
 */
import type { Filter, MongoBulkWriteError } from 'mongodb';
import type { Transition } from '../../domain/membership/transitions';
import { isDuplicateKey } from '../repos/mongoErrors';
import { allocatePositions, type ContactDoc, type MembershipCollections } from './store';

const LEASE_MS = 15_000;

/**
 * Contacts with a non-empty outbox that no flusher holds. `seq` starts at 1, so the range on
 * `pendingTransitions.seq` selects exactly the non-empty outboxes and is served by its index
 * (the recovery loop would otherwise scan every contact).
 */
function unlockedOutbox(now: Date): Filter<ContactDoc> {
  return {
    'pendingTransitions.seq': { $gte: 1 },
    $or: [{ flushLockUntil: null }, { flushLockUntil: { $lt: now } }],
  };
}

export async function flushOutbox(
  c: MembershipCollections,
  workspaceId: string,
  contactId: string,
): Promise<number> {
  let moved = 0;
  for (;;) {
    const now = Date.now();
    const doc = await c.contacts.findOneAndUpdate(
      { _id: contactId, workspaceId, ...unlockedOutbox(new Date(now)) },
      { $set: { flushLockUntil: new Date(now + LEASE_MS) } },
      { projection: { pendingTransitions: 1 }, returnDocument: 'after' },
    );
    const pending = [...(doc?.pendingTransitions ?? [])].sort((a, b) => a.seq - b.seq);
    if (pending.length === 0) return moved;
    const first = await allocatePositions(c, pending.length);
    const records: Transition[] = pending.map((p, i) => ({
      ...p,
      _id: `${p.contactId}:${p.seq}`,
      position: first + i,
    }));
    try {
      await c.transitions.insertMany(records, { ordered: false });
    } catch (err) {
      // Duplicates are records an earlier, interrupted flush already moved: trust writeErrors.
      const errors: unknown = (err as MongoBulkWriteError).writeErrors;
      const list: unknown[] = Array.isArray(errors) ? errors : errors ? [errors] : [];
      if (list.length === 0 || !list.every(isDuplicateKey)) throw err;
    }
    await c.contacts.updateOne(
      { _id: contactId, workspaceId },
      {
        $pull: { pendingTransitions: { seq: { $in: pending.map((p) => p.seq) } } },
        $set: { flushLockUntil: null },
      },
    );
    moved += pending.length;
  }
}

/** Finishes outboxes left behind by a crashed process (their lease has expired). */
export async function flushStale(c: MembershipCollections, limit = 100): Promise<number> {
  const stale = await c.contacts
    .find(unlockedOutbox(new Date()), { projection: { _id: 1, workspaceId: 1 } })
    .limit(limit)
    .toArray();
  let moved = 0;
  for (const s of stale) moved += await flushOutbox(c, s.workspaceId, s._id);
  return moved;
}
