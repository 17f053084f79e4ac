/**
 * Event ingestion, exactly once without transactions:
 * 1. insert the event as `pending` (unique `{workspaceId, eventId}`: a replay is a duplicate key);
 * 2. apply it to the contact in ONE update guarded by `appliedEventIds: {$ne: eventId}`, which
 *    also marks the contact due for re-evaluation;
 * 3. mark it `applied`, then tell the membership engine.
 * A crash between 1 and 3 leaves it `pending`: a replay or `applyPendingEvents` applies it,
 * and the guard keeps the traits from changing twice.
 *
 * A batch does each step for all of its events at once where order does not matter: one read
 * resolves the contacts, one insert stores the events, the guarded updates run one by one in
 * the batch's order, one write marks them applied, and the membership engine evaluates the
 * changed contacts together (once each, after the batch's events: a contact's membership follows
 * the batch's end state).
 */
import { NotFoundError } from '../../errors';
import { parseOrThrow, validationError } from '../contacts/parse';
import type { ContactRepo } from '../contacts/repo';
import type { ContactChangeListener } from '../contacts/types';
import type { BulkChangeListener } from '../contacts/import';
import { traitChangeFor } from './traits';
import { contactResolver } from './resolve';
import { idOf, invalidResult, MAX_BATCH, notFound, notProcessed, validData } from './validate';
import {
  eventEnvelopeSchema,
  type EventEnvelope,
  type EventRepo,
  type IngestResult,
  type StoredEvent,
} from './types';

export { MAX_BATCH } from './validate';

export interface EventServiceDeps {
  events: EventRepo;
  contacts: ContactRepo;
  listener: ContactChangeListener;
  /** Membership for a batch's contacts at once; else each is evaluated on its own. */
  bulk?: Pick<BulkChangeListener, 'evaluateMany'>;
  clock?: () => Date;
}

/** Events handled together; `stop()` is checked between chunks. */
const CHUNK = 100;

export class EventService {
  private readonly now: () => Date;
  constructor(private readonly deps: EventServiceDeps) {
    this.now = deps.clock ?? (() => new Date());
  }

  /**
   * A batch of 1..1000 events, applied in order; one result per item. Once `stop()` says so (the
   * server is shutting down) the rest are answered `not-processed` instead of holding the
   * shutdown up; replays are recognised, so the client may send the whole batch again.
   */
  async ingest(
    workspaceId: string,
    items: unknown,
    stop: () => boolean = () => false,
  ): Promise<IngestResult[]> {
    if (!Array.isArray(items))
      throw validationError([{ path: 'events', problem: 'must be an array of events' }]);
    if (items.length === 0)
      throw validationError([{ path: 'events', problem: 'must hold at least one event' }]);
    if (items.length > MAX_BATCH) {
      const problem = `at most ${MAX_BATCH} events per batch (got ${items.length})`;
      throw validationError([{ path: 'events', problem }], 'BATCH_TOO_LARGE');
    }
    const results: IngestResult[] = [];
    for (let i = 0; i < items.length; i += CHUNK) {
      const chunk: unknown[] = items.slice(i, i + CHUNK);
      results.push(...(stop() ? chunk.map(notProcessed) : await this.ingestChunk(workspaceId, chunk)));
    }
    return results;
  }

  /**
   * Up to CHUNK events, in order: every step in bulk except the guarded trait updates, which run
   * one by one in the batch's order (a ticket opened then closed must be applied in that order).
   * Replays of events stored before (or earlier in this chunk) are handled after, one by one.
   */
  private async ingestChunk(workspaceId: string, raw: unknown[]): Promise<IngestResult[]> {
    const results: (IngestResult | undefined)[] = raw.map(() => undefined);
    const invalid = (i: number, err: unknown) => {
      results[i] = invalidResult(idOf(raw[i]), err);
    };
    const parsed: { i: number; e: EventEnvelope; data: unknown }[] = [];
    raw.forEach((item, i) => {
      try {
        const e = parseOrThrow(eventEnvelopeSchema, item);
        parsed.push({ i, e, data: validData(e) });
      } catch (err) {
        invalid(i, err);
      }
    });
    const found = await contactResolver(
      this.deps.contacts,
      workspaceId,
      parsed.map((p) => p.e),
    );
    const stored: { i: number; event: StoredEvent }[] = [];
    for (const p of parsed) {
      const contactId = found(p.e);
      if (contactId) stored.push({ i: p.i, event: this.toStored(workspaceId, p.e, p.data, contactId) });
      else invalid(p.i, notFound(p.e));
    }
    const inserted = await this.deps.events.insertMany(stored.map((s) => s.event));
    const applied: string[] = [];
    const changed = new Set<string>();
    const replays: { i: number; eventId: string }[] = [];
    for (const [k, { i, event }] of stored.entries()) {
      if (inserted[k] === 'duplicate') replays.push({ i, eventId: event.eventId });
      else if (event.status === 'applied') results[i] = { eventId: event.eventId, status: 'applied' };
      else results[i] = await this.applyOnly(event, applied, changed);
    }
    await this.deps.events.markAppliedMany(workspaceId, applied, this.now());
    await this.evaluate(workspaceId, [...changed]);
    for (const { i, eventId } of replays) results[i] = await this.replay(workspaceId, eventId);
    return results.map((r) => r!); // every index was answered above
  }

  /** The membership of `ids` after their events: in bulk when the engine offers it. */
  private async evaluate(workspaceId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    if (this.deps.bulk) await this.deps.bulk.evaluateMany(workspaceId, ids, 'event');
    else for (const id of ids) await this.deps.listener.contactChanged(workspaceId, id, 'event');
  }

  /** Re-applies events left `pending` for longer than `olderThanMs` (a crash mid-way); returns how many. */
  async applyPendingEvents(olderThanMs: number, limit = 500): Promise<number> {
    const pending = await this.deps.events.findPending(new Date(this.now().getTime() - olderThanMs), limit);
    let applied = 0;
    for (const e of pending) if ((await this.apply(e)).status === 'applied') applied++;
    return applied;
  }

  private async replay(workspaceId: string, eventId: string): Promise<IngestResult> {
    const existing = await this.deps.events.find(workspaceId, eventId);
    if (existing?.status !== 'pending') return { eventId, status: 'duplicate' };
    return this.apply(existing);
  }

  private async apply(e: StoredEvent): Promise<IngestResult> {
    const applied: string[] = [];
    const changed = new Set<string>();
    const result = await this.applyOnly(e, applied, changed);
    if (applied.length > 0) await this.deps.events.markApplied(e.workspaceId, e.eventId, this.now());
    // Also after 'already': a crash may have come before the listener ran; re-evaluating is idempotent.
    if (changed.size > 0) await this.deps.listener.contactChanged(e.workspaceId, e.contactId, 'event');
    return result;
  }

  /**
   * The guarded trait update alone: the event joins `applied` (to be marked so) and its contact
   * `changed` (to be re-evaluated), or it is marked failed when the contact is gone.
   */
  private async applyOnly(e: StoredEvent, applied: string[], changed: Set<string>): Promise<IngestResult> {
    const { workspaceId, eventId, contactId } = e;
    const change = traitChangeFor(e);
    const outcome = change
      ? await this.deps.contacts.applyEvent(workspaceId, contactId, eventId, change, this.now())
      : 'applied';
    if (outcome === 'missing') {
      await this.deps.events.markFailed(workspaceId, eventId, 'contact not found', this.now());
      const err = new NotFoundError('contact', contactId);
      return { eventId, status: 'invalid', error: { code: err.code, message: err.message } };
    }
    applied.push(eventId);
    if (change) changed.add(contactId);
    return { eventId, status: outcome === 'already' ? 'duplicate' : 'applied' };
  }

  private toStored(workspaceId: string, e: EventEnvelope, data: unknown, contactId: string): StoredEvent {
    const base = {
      _id: this.deps.events.newId(),
      workspaceId,
      eventId: e.eventId,
      type: e.type,
      contactId,
      at: e.at === undefined ? this.now() : new Date(e.at),
      receivedAt: this.now(),
    };
    if (e.type !== 'custom') {
      return { ...base, status: 'pending', ...(data ? { data: data as StoredEvent['data'] } : {}) };
    }
    // Stored, not applied: nothing to do later, so it is final at once.
    return { ...base, status: 'applied', appliedAt: base.receivedAt, dataJson: JSON.stringify(data ?? {}) };
  }
}
