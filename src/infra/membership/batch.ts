/**
 * Membership for many contacts at once (bulk import, rebuilds): evaluate each loaded contact
 * with the compiled workspace and write every change in ONE unordered bulkWrite. Each write is
 * guarded by the contact's version, exactly as on the one-contact path, and also takes the
 * contact's outbox lease under one token, so the outboxes then move in two more queries
 * (`flushLocked`) instead of four per contact. A contact whose write lost a race (the token is
 * not on it afterwards) goes through the engine's re-read-and-retry path; the result is the same
 * as evaluating contacts one by one, with one transition per change.
 */
import { randomUUID } from 'node:crypto';
import type { AnyBulkWriteOperation } from 'mongodb';
import type { TransitionCause } from '../../domain/contacts/types';
import type { CompiledWorkspace } from '../../domain/membership/evaluate';
import type { Clock, PendingTransition } from '../../domain/membership/transitions';
import { flushLock, flushLocked, flushMany, flushUnlocked } from './flush';
import { planMembershipWrite } from './plan';
import type { ContactDoc, MembershipCollections } from './store';

export interface BatchOutcome {
  /** Transitions written by the bulk write. */
  transitions: number;
  /** Contacts that changed under us and were re-evaluated one by one. */
  retried: number;
}

/** Evaluates `docs` (all of `workspaceId`) and writes their memberships in bulk. */
export async function evaluateBatch(
  c: MembershipCollections,
  engine: { evaluate(workspaceId: string, contactId: string, cause: TransitionCause): Promise<unknown> },
  clock: Clock,
  workspaceId: string,
  docs: ContactDoc[],
  compiled: CompiledWorkspace,
  cause: TransitionCause,
): Promise<BatchOutcome> {
  const now = clock();
  const token = randomUUID();
  const lock = flushLock(token);
  const ops: AnyBulkWriteOperation<ContactDoc>[] = [];
  const written: { _id: string; pending: PendingTransition[] }[] = [];
  const leftovers: string[] = [];
  for (const doc of docs) {
    const plan = planMembershipWrite(doc, compiled, now, cause);
    if (!plan) {
      if (doc.pendingTransitions?.length) leftovers.push(doc._id);
      continue;
    }
    const update = { ...plan.update, $set: { ...plan.update.$set, ...lock } };
    ops.push({ updateOne: { filter: { ...plan.filter, ...flushUnlocked() }, update } });
    written.push({ _id: doc._id, pending: [...(doc.pendingTransitions ?? []), ...plan.pending] });
  }
  let applied = written;
  if (ops.length > 0) {
    const r = await c.contacts.bulkWrite(ops, { ordered: false });
    if (r.matchedCount < ops.length) {
      // Not reported per item: our token on the contact is the proof that our write applied.
      const ours = await c.contacts
        .find({ workspaceId, _id: { $in: written.map((w) => w._id) }, flushLockBy: token })
        .project<{ _id: string }>({ _id: 1 })
        .toArray();
      const mine = new Set(ours.map((d) => d._id));
      applied = written.filter((w) => mine.has(w._id));
      for (const w of written) if (!mine.has(w._id)) await engine.evaluate(workspaceId, w._id, cause);
    }
  }
  await flushLocked(c, workspaceId, token, applied);
  await flushMany(c, workspaceId, leftovers);
  const transitions = applied.reduce((n, w) => n + w.pending.length, 0);
  return { transitions, retried: written.length - applied.length };
}
