/**
 * The membership engine's write path: evaluate one contact with the compiled predicates, write
 * the new memberships, recheck instant and outbox entries in ONE update guarded by the contact's
 * version (a concurrent writer makes us re-read and retry: no lost update, and two engines can
 * never both record the same change), then move the outbox to `segment_transitions`.
 */
import { randomUUID } from 'node:crypto';
import { evaluateBy } from '../../domain/contacts/repo';
import type { ContactChangeListener, TransitionCause } from '../../domain/contacts/types';
import type { CompiledWorkspace } from '../../domain/membership/evaluate';
import type { Clock, PendingTransition } from '../../domain/membership/transitions';
import { ConflictError, NotFoundError } from '../../errors';
import type { Logger } from '../logger';
import type { SegmentCatalog } from './catalog';
import { evaluateBatch, type BatchOutcome } from './batch';
import { flushLock, flushLocked, flushOutbox, flushUnlocked } from './flush';
import { planMembershipWrite, withMembership } from './plan';
import type { ContactDoc, MembershipCollections } from './store';

const MAX_ATTEMPTS = 20;

export class MembershipEngine implements ContactChangeListener {
  constructor(
    private readonly c: MembershipCollections,
    private readonly catalog: SegmentCatalog,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  contactChanged(workspaceId: string, contactId: string, cause: 'contact' | 'event'): Promise<void> {
    return this.evaluate(workspaceId, contactId, cause).then(() => undefined);
  }

  /** Re-evaluates one contact; returns the transitions this call recorded. */
  async evaluate(
    workspaceId: string,
    contactId: string,
    cause: TransitionCause,
  ): Promise<PendingTransition[]> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const doc = await this.c.contacts.findOne({ _id: contactId, workspaceId });
      if (!doc) return [];
      const written = await this.writeAndFlush(doc, cause);
      if (written) return written;
    }
    this.log.warn({ workspaceId, contactId }, `membership: gave up after ${MAX_ATTEMPTS} concurrent changes`);
    return [];
  }

  /**
   * Writes `doc`'s evaluation and moves its outbox; undefined when another write came first.
   * When no flusher holds the contact, the guarded write also takes the flush lease (as the batch
   * path does), which saves the separate locking round trip of `flush`.
   */
  private async writeAndFlush(
    doc: ContactDoc,
    cause: TransitionCause,
  ): Promise<PendingTransition[] | undefined> {
    const plan = planMembershipWrite(doc, await this.catalog.get(doc.workspaceId), this.clock(), cause);
    const outbox = [...(doc.pendingTransitions ?? []), ...(plan?.pending ?? [])];
    const leaseFree = (doc.flushLockUntil?.getTime() ?? 0) < Date.now();
    if (plan && outbox.length > 0 && leaseFree) {
      const token = randomUUID();
      const r = await this.c.contacts.updateOne(
        { ...plan.filter, ...flushUnlocked() },
        { ...plan.update, $set: { ...plan.update.$set, ...flushLock(token) } },
      );
      if (r.matchedCount === 0) return undefined;
      await flushLocked(this.c, doc.workspaceId, token, [{ _id: doc._id, pending: outbox }]);
      return plan.pending;
    }
    if (plan && (await this.c.contacts.updateOne(plan.filter, plan.update)).matchedCount === 0)
      return undefined;
    if (outbox.length > 0) await this.flush(doc.workspaceId, doc._id);
    return plan?.pending ?? [];
  }

  /**
   * Before a contact is deleted: it leaves every segment and list through the same guarded write
   * and outbox as any change (cause `contact`), the outbox is moved, and the version at which
   * the contact may be deleted is returned (null when it is gone). Until the delete, the contact
   * is due for a recheck (EVALUATE_WITHIN_MS): if the delete never comes, it re-enters.
   */
  async contactDeleting(workspaceId: string, contactId: string): Promise<number | null> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const doc = await this.c.contacts.findOne({ _id: contactId, workspaceId });
      if (!doc) return null;
      const outbox = doc.pendingTransitions?.length ?? 0;
      if (doc.segments.length === 0 && outbox === 0) return doc.version;
      if (doc.segments.length === 0) {
        // Another flusher holds the outbox: let it finish (its lease is short) and look again.
        await this.flush(workspaceId, contactId);
        if (attempt > 1) await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      const now = this.clock();
      let seq = doc.transitionSeq ?? 0;
      const pending: PendingTransition[] = doc.segments.map((m) => ({
        workspaceId,
        contactId,
        segmentId: m.segmentId,
        kind: 'exited',
        at: now,
        cause: 'contact',
        seq: ++seq,
      }));
      const r = await this.c.contacts.updateOne(
        { _id: contactId, workspaceId, version: doc.version },
        {
          $set: { segments: [], transitionSeq: seq, nextRecheckAt: evaluateBy(now) },
          $push: { pendingTransitions: { $each: pending } },
          $inc: { version: 1 },
        },
      );
      if (r.matchedCount === 1) await this.flush(workspaceId, contactId);
    }
    throw new ConflictError('The contact kept changing; try again');
  }

  /**
   * Adds a contact to, or removes it from, a static list (cause `manual`), through the same
   * guarded write and outbox as every other change. Returns false when nothing changed.
   */
  async setListMember(
    workspaceId: string,
    contactId: string,
    listId: string,
    member: boolean,
  ): Promise<boolean> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const doc = await this.c.contacts.findOne({ _id: contactId, workspaceId });
      if (!doc) throw new NotFoundError('contact', contactId);
      if (doc.segments.some((m) => m.segmentId === listId) === member) return false;
      const now = this.clock();
      const seq = (doc.transitionSeq ?? 0) + 1;
      const segments = member
        ? [...doc.segments, { segmentId: listId, since: now }]
        : doc.segments.filter((m) => m.segmentId !== listId);
      const t: PendingTransition = {
        workspaceId,
        contactId,
        segmentId: listId,
        kind: member ? 'entered' : 'exited',
        at: now,
        cause: 'manual',
        seq,
      };
      const r = await this.c.contacts.updateOne(
        { _id: contactId, workspaceId, version: doc.version },
        { $set: { segments, transitionSeq: seq }, $push: { pendingTransitions: t }, $inc: { version: 1 } },
      );
      if (r.matchedCount === 1) {
        // Segments that depend on the list follow at once; evaluate also flushes this outbox entry.
        await this.evaluate(workspaceId, contactId, 'manual');
        return true;
      }
    }
    throw new ConflictError('The contact kept changing; try again');
  }

  /**
   * Re-evaluates many contacts of one workspace in bulk (an import): one read, one guarded
   * bulk write, the outboxes moved together. Same outcome as `evaluate` on each.
   */
  async evaluateMany(workspaceId: string, ids: string[], cause: TransitionCause): Promise<BatchOutcome> {
    if (ids.length === 0) return { transitions: 0, retried: 0 };
    const [docs, compiled] = await Promise.all([
      this.c.contacts.find({ workspaceId, _id: { $in: ids } }).toArray(),
      this.catalog.get(workspaceId),
    ]);
    return evaluateBatch(this.c, this, this.clock, workspaceId, docs, compiled, cause);
  }

  /**
   * Inserts new contacts of one workspace already evaluated (bulk import): each goes in with its
   * memberships, its outbox and the outbox lease under one token, so a crash after the insert
   * leaves an outbox that `flushStale` finishes once the lease lapses; the outboxes of those
   * inserted are then moved together. `insert` answers the indexes it refused (taken keys).
   */
  async createMany(
    workspaceId: string,
    contacts: readonly ContactDoc[],
    insert: (docs: ContactDoc[]) => Promise<Set<number>>,
  ): Promise<Set<number>> {
    const compiled = await this.catalog.get(workspaceId);
    const now = this.clock();
    const token = randomUUID();
    const docs = contacts.map((c) => {
      const plan = planMembershipWrite(c, compiled, now, 'contact');
      return plan ? { ...withMembership(c, plan), ...flushLock(token) } : c;
    });
    const refused = await insert(docs);
    const outboxes = docs.flatMap((d, i) =>
      !refused.has(i) && d.pendingTransitions?.length ? [{ _id: d._id, pending: d.pendingTransitions }] : [],
    );
    await flushLocked(this.c, workspaceId, token, outboxes);
    return refused;
  }

  /** Moves the contact's outbox to `segment_transitions`. */
  async flush(workspaceId: string, contactId: string): Promise<void> {
    await flushOutbox(this.c, workspaceId, contactId);
  }

  /**
   * Writes the evaluation of `doc` if the contact has not changed since it was read. Returns the
   * recorded transitions, or undefined when another write came first (the caller re-reads).
   * A caller walking many contacts passes the compiled workspace it read once for the batch.
   */
  async apply(
    doc: ContactDoc,
    cause: TransitionCause,
    compiled?: CompiledWorkspace,
  ): Promise<PendingTransition[] | undefined> {
    const ws = compiled ?? (await this.catalog.get(doc.workspaceId));
    const plan = planMembershipWrite(doc, ws, this.clock(), cause);
    if (!plan) return [];
    const r = await this.c.contacts.updateOne(plan.filter, plan.update);
    return r.matchedCount === 1 ? plan.pending : undefined;
  }
}
