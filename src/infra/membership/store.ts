/**
 * The contacts collection as the membership engine sees it: memberships, the recheck instant and
 * the embedded outbox (`pendingTransitions`) that is written in the same atomic update as the
 * membership, so no transition is lost between two writes without a transaction.
 */
import type { Collection, Db } from 'mongodb';
import type { Contact } from '../../domain/contacts/types';
import type { PendingTransition, Transition } from '../../domain/membership/transitions';

export interface ContactDoc extends Contact {
  pendingTransitions?: PendingTransition[];
  transitionSeq?: number;
  /** Real-time lease of the process moving this contact's outbox to `segment_transitions`. */
  flushLockUntil?: Date | null;
  /** The token of a batch flush holding the lease (flush.ts `flushMany`). */
  flushLockBy?: string;
}

export interface MembershipCollections {
  contacts: Collection<ContactDoc>;
  transitions: Collection<Transition>;
  counters: Collection<{ _id: string; value: number }>;
}

export function membershipCollections(db: Db): MembershipCollections {
  return {
    contacts: db.collection<ContactDoc>('contacts'),
    transitions: db.collection<Transition>('segment_transitions'),
    counters: db.collection<{ _id: string; value: number }>('counters'),
  };
}

export async function ensureMembershipIndexes(c: MembershipCollections): Promise<void> {
  // The sweeper's claim. The engine's workspace-scoped reads and guarded writes
  // ({_id, workspaceId[, version]}) are served by the _id index, on MongoDB and in our launcher.
  await c.contacts.createIndex({ nextRecheckAt: 1 });
  await c.contacts.createIndex({ workspaceId: 1, 'segments.segmentId': 1 });
  await c.contacts.createIndex({ 'pendingTransitions.seq': 1 });
  await c.transitions.createIndex({ position: 1 });
  await c.transitions.createIndex({ workspaceId: 1, position: 1 });
  await c.transitions.createIndex({ workspaceId: 1, contactId: 1, segmentId: 1, seq: 1 }, { unique: true });
}

/**
 * Allocates `n` consecutive dispatch positions; returns the first.
 *
 * The projection is load-bearing: without one, mongo-java-server returns the live stored
 * document, read after its collection lock is released, so two concurrent allocations could both
 * see the later value and share positions (measured: 12 of 2,000). A projection makes it copy the
 * result under the lock. Every findOneAndUpdate whose returned value matters projects for this.
 */
export async function allocatePositions(c: MembershipCollections, n: number): Promise<number> {
  const doc = await c.counters.findOneAndUpdate(
    { _id: 'transition_position' },
    { $inc: { value: n } },
    { upsert: true, returnDocument: 'after', projection: { value: 1 } },
  );
  return (doc?.value ?? n) - n + 1;
}
