/**
 * Moves a contact's embedded outbox into `segment_transitions`. One flusher per contact at a time
 * (a short real-time lease in the contact), positions allocated in seq order, inserts that may
 * repeat (unique key: a replay is a no-op), then the flushed entries are pulled. A crash anywhere
 * leaves the entries in the contact, and `flushStale` finishes the job later.
 */
import { randomUUID } from 'node:crypto';
import type { AnyBulkWriteOperation, Filter, MongoBulkWriteError } from 'mongodb';
import type { PendingTransition, Transition } from '../../domain/membership/transitions';
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
    await insertTransitions(c, records);
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

/** Inserts transition records; a duplicate is one an earlier, interrupted flush already moved. */
async function insertTransitions(c: MembershipCollections, records: Transition[]): Promise<void> {
  if (records.length === 0) return;
  try {
    await c.transitions.insertMany(records, { ordered: false });
  } catch (err) {
    // Trust writeErrors, not insertedCount (DESIGN §2.1).
    const errors: unknown = (err as MongoBulkWriteError).writeErrors;
    const list: unknown[] = Array.isArray(errors) ? errors : errors ? [errors] : [];
    if (list.length === 0 || !list.every(isDuplicateKey)) throw err;
  }
}

/**
 * The outboxes of many contacts of one workspace in four queries, not four per contact: lock
 * them under one token (the same lease others respect), read, then `flushLocked`.
 */
export async function flushMany(
  c: MembershipCollections,
  workspaceId: string,
  contactIds: string[],
): Promise<number> {
  if (contactIds.length === 0) return 0;
  const now = Date.now();
  const token = randomUUID();
  const mine = { workspaceId, _id: { $in: contactIds } };
  await c.contacts.updateMany({ ...mine, ...unlockedOutbox(new Date(now)) }, { $set: flushLock(token, now) });
  const docs = await c.contacts
    .find({ ...mine, flushLockBy: token }, { projection: { _id: 1, pendingTransitions: 1 } })
    .toArray();
  return flushLocked(
    c,
    workspaceId,
    token,
    docs.map((d) => ({ _id: d._id, pending: d.pendingTransitions ?? [] })),
  );
}

/** The `$set` that takes a contact's flush lease under `token` (also usable inside another write). */
export const flushLock = (token: string, now = Date.now()) => ({
  flushLockUntil: new Date(now + LEASE_MS),
  flushLockBy: token,
});

/** The condition under which a write may take the flush lease: nobody holds it. */
export const flushUnlocked = (now = new Date()): Filter<ContactDoc> => ({
  $or: [{ flushLockUntil: null }, { flushLockUntil: { $lt: now } }],
});

/**
 * Moves the given outbox entries of contacts locked under `token`: one block of positions, one
 * insert, one bulk pull that releases the locks. Entries pushed meanwhile stay for later.
 */
export async function flushLocked(
  c: MembershipCollections,
  workspaceId: string,
  token: string,
  docs: { _id: string; pending: PendingTransition[] }[],
): Promise<number> {
  if (docs.length === 0) return 0;
  const pending = docs.flatMap((d) => [...d.pending].sort((a, b) => a.seq - b.seq));
  const first = pending.length ? await allocatePositions(c, pending.length) : 0;
  await insertTransitions(
    c,
    pending.map((p, i) => ({ ...p, _id: `${p.contactId}:${p.seq}`, position: first + i })),
  );
  const release: AnyBulkWriteOperation<ContactDoc>[] = docs.map((d) => ({
    updateOne: {
      filter: { _id: d._id, workspaceId, flushLockBy: token },
      update: {
        $pull: { pendingTransitions: { seq: { $in: d.pending.map((p) => p.seq) } } },
        $set: { flushLockUntil: null },
        $unset: { flushLockBy: '' },
      },
    },
  }));
  await c.contacts.bulkWrite(release, { ordered: false });
  return pending.length;
}
