/**
 * Moves a contact's embedded outbox into `segment_transitions`. One flusher per contact at a time
 * (a short real-time lease in the contact), positions allocated in seq order, inserts that may
 * repeat (unique key: a replay is a no-op), then the flushed entries are pulled. A crash anywhere
 * leaves the entries in the contact, and `flushStale` finishes the job later.
 */
import type { MongoBulkWriteError } from 'mongodb';
import type { Transition } from '../../domain/membership/transitions';
import { allocatePositions, type MembershipCollections } from './store';

const LEASE_MS = 15_000;

export async function flushOutbox(
  c: MembershipCollections,
  workspaceId: string,
  contactId: string,
): Promise<number> {
  let moved = 0;
  for (;;) {
    const now = Date.now();
    const doc = await c.contacts.findOneAndUpdate(
      {
        _id: contactId,
        workspaceId,
        'pendingTransitions.0': { $exists: true },
        $or: [{ flushLockUntil: null }, { flushLockUntil: { $lt: new Date(now) } }],
      },
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
      const list = (Array.isArray(errors) ? errors : errors ? [errors] : []) as { code?: number }[];
      if (list.length === 0 || list.some((e) => e.code !== 11000)) throw err;
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
    .find(
      {
        'pendingTransitions.0': { $exists: true },
        $or: [{ flushLockUntil: null }, { flushLockUntil: { $lt: new Date() } }],
      },
      { projection: { _id: 1, workspaceId: 1 } },
    )
    .limit(limit)
    .toArray();
  let moved = 0;
  for (const s of stale) moved += await flushOutbox(c, s.workspaceId, s._id);
  return moved;
}
