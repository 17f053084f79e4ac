/**
 * Pure: the guarded write that brings one contact's memberships up to date (shared by the engine's
 * one-contact path and the bulk paths in batch.ts).
 */
import type { Filter, UpdateFilter } from 'mongodb';
import type { TransitionCause } from '../../domain/contacts/types';
import { evaluateMembership, type CompiledWorkspace } from '../../domain/membership/evaluate';
import type { PendingTransition } from '../../domain/membership/transitions';
import type { ContactDoc } from './store';

/** One contact's membership write: guarded by its version, with the outbox entries it records. */
export interface MembershipWrite {
  filter: Filter<ContactDoc>;
  update: UpdateFilter<ContactDoc>;
  pending: PendingTransition[];
}

/**
 * Pure: the guarded update that brings `doc`'s memberships and recheck instant up to date, or
 * null when nothing would change. Shared by the one-contact path and the batch paths.
 */
export function planMembershipWrite(
  doc: ContactDoc,
  ws: CompiledWorkspace,
  now: Date,
  cause: TransitionCause,
): MembershipWrite | null {
  const result = evaluateMembership(doc, ws, now);
  const sameRecheck = (doc.nextRecheckAt?.getTime() ?? null) === (result.nextRecheckAt?.getTime() ?? null);
  if (result.entered.length === 0 && result.exited.length === 0 && sameRecheck) return null;
  let seq = doc.transitionSeq ?? 0;
  const base = { workspaceId: doc.workspaceId, contactId: doc._id, at: now, cause };
  const pending: PendingTransition[] = [
    ...result.exited.map((segmentId) => ({ ...base, segmentId, kind: 'exited' as const, seq: ++seq })),
    ...result.entered.map((segmentId) => ({ ...base, segmentId, kind: 'entered' as const, seq: ++seq })),
  ];
  return {
    filter: { _id: doc._id, workspaceId: doc.workspaceId, version: doc.version },
    update: {
      $set: { segments: result.segments, nextRecheckAt: result.nextRecheckAt, transitionSeq: seq },
      $push: { pendingTransitions: { $each: pending } },
      $inc: { version: 1 },
    },
    pending,
  };
}

/**
 * Pure: a contact not yet stored as it would be after `plan`, so a bulk import inserts new
 * contacts with their memberships and outbox instead of inserting, re-reading and updating them.
 */
export function withMembership(doc: ContactDoc, plan: MembershipWrite): ContactDoc {
  const set = plan.update.$set as Pick<ContactDoc, 'segments' | 'nextRecheckAt' | 'transitionSeq'>;
  return {
    ...doc,
    segments: set.segments,
    nextRecheckAt: set.nextRecheckAt,
    transitionSeq: set.transitionSeq,
    pendingTransitions: [...(doc.pendingTransitions ?? []), ...plan.pending],
    version: doc.version + 1,
  };
}
