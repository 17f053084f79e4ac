/**
 * Event ingestion, exactly once without transactions:
 * 1. insert the event as `pending` (unique `{workspaceId, eventId}`: a replay is a duplicate key);
 * 2. apply it to the contact in ONE update guarded by `appliedEventIds: {$ne: eventId}`;
 * 3. mark it `applied`, then tell the membership engine.
 * A crash between 1 and 3 leaves it `pending`: a replay or `applyPendingEvents` applies it,
 * and the guard keeps the traits from changing twice.
 */
import { AppError, NotFoundError } from '../../errors';
import { parseOrThrow, validationError } from '../contacts/parse';
import type { ContactRepo } from '../contacts/repo';
import type { ContactChangeListener } from '../contacts/types';
import { conversationChange, traitChangeFor } from './traits';
import {
  EVENT_DATA,
  eventEnvelopeSchema,
  type EventEnvelope,
  type EventRepo,
  type IngestResult,
  type StoredEvent,
} from './types';

export const MAX_BATCH = 1000;
const MAX_CUSTOM_JSON = 16_384;
/** 20,000 levels of nesting overflowed the stack (a 500 mid-batch); real data is shallow. */
const MAX_DATA_DEPTH = 32;

/** Without recursion, so a hostile depth cannot overflow the stack here either. */
function nestedDeeperThan(value: unknown, max: number): boolean {
  let level: unknown[] = [value];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > max) return true;
    level = level.flatMap((v): unknown[] => (v !== null && typeof v === 'object' ? Object.values(v) : []));
  }
  return false;
}

export interface EventServiceDeps {
  events: EventRepo;
  contacts: ContactRepo;
  listener: ContactChangeListener;
  clock?: () => Date;
}

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
    // In order: a ticket opened then closed in one batch must be applied in that order.
    for (const item of items)
      results.push(stop() ? notProcessed(item) : await this.ingestOne(workspaceId, item));
    return results;
  }

  /** One event; a client error (bad payload, unknown contact) becomes an `invalid` result. */
  async ingestOne(workspaceId: string, raw: unknown): Promise<IngestResult> {
    const eventId = idOf(raw);
    try {
      const stored = await this.toStored(workspaceId, parseOrThrow(eventEnvelopeSchema, raw));
      if ((await this.deps.events.insert(stored)) === 'duplicate')
        return this.replay(workspaceId, stored.eventId);
      return stored.status === 'applied' ? { eventId, status: 'applied' } : this.apply(stored);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      const error = {
        code: err.code,
        message: err.message,
        ...(err.details ? { details: err.details } : {}),
      };
      return { eventId, status: 'invalid', error };
    }
  }

  /** Re-applies events left `pending` for longer than `olderThanMs` (a crash mid-way); returns how many. */
  async applyPendingEvents(olderThanMs: number, limit = 500): Promise<number> {
    const pending = await this.deps.events.findPending(new Date(this.now().getTime() - olderThanMs), limit);
    let applied = 0;
    for (const e of pending) if ((await this.apply(e)).status === 'applied') applied++;
    return applied;
  }

  /**
   * A bot turn. With an `eventId` (the activity id) it is an idempotent `conversation` event;
   * without one the traits are bumped directly.
   */
  async recordConversation(
    workspaceId: string,
    contactId: string,
    at: Date,
    eventId?: string,
  ): Promise<void> {
    if (eventId !== undefined) {
      const r = await this.ingestOne(workspaceId, {
        eventId,
        type: 'conversation',
        contactId,
        at: at.toISOString(),
      });
      if (r.status === 'invalid') throw new NotFoundError('contact', contactId);
      return;
    }
    if (!(await this.deps.contacts.applyTraits(workspaceId, contactId, conversationChange(at), this.now()))) {
      throw new NotFoundError('contact', contactId);
    }
    await this.deps.listener.contactChanged(workspaceId, contactId, 'event');
  }

  private async replay(workspaceId: string, eventId: string): Promise<IngestResult> {
    const existing = await this.deps.events.find(workspaceId, eventId);
    if (existing?.status !== 'pending') return { eventId, status: 'duplicate' };
    return this.apply(existing);
  }

  private async apply(e: StoredEvent): Promise<IngestResult> {
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
    await this.deps.events.markApplied(workspaceId, eventId, this.now());
    // Also after 'already': a crash may have come before the listener ran; re-evaluating is idempotent.
    if (change) await this.deps.listener.contactChanged(workspaceId, contactId, 'event');
    return { eventId, status: outcome === 'already' ? 'duplicate' : 'applied' };
  }

  private async toStored(workspaceId: string, e: EventEnvelope): Promise<StoredEvent> {
    if (nestedDeeperThan(e.data, MAX_DATA_DEPTH)) {
      throw validationError([{ path: 'data', problem: `nested more than ${MAX_DATA_DEPTH} levels deep` }]);
    }
    const data: unknown = parseOrThrow(EVENT_DATA[e.type], e.data, 'data');
    const base = {
      _id: this.deps.events.newId(),
      workspaceId,
      eventId: e.eventId,
      type: e.type,
      contactId: await this.resolve(workspaceId, e),
      at: e.at === undefined ? this.now() : new Date(e.at),
      receivedAt: this.now(),
    };
    if (e.type !== 'custom') {
      return { ...base, status: 'pending', ...(data ? { data: data as StoredEvent['data'] } : {}) };
    }
    const dataJson = JSON.stringify(data ?? {});
    if (dataJson.length > MAX_CUSTOM_JSON) {
      throw validationError([{ path: 'data', problem: `at most ${MAX_CUSTOM_JSON} characters of JSON` }]);
    }
    // Stored, not applied: nothing to do later, so it is final at once.
    return { ...base, status: 'applied', appliedAt: base.receivedAt, dataJson };
  }

  private async resolve(workspaceId: string, e: EventEnvelope): Promise<string> {
    const repo = this.deps.contacts;
    const c =
      e.contactId !== undefined
        ? await repo.findById(workspaceId, e.contactId)
        : e.externalId !== undefined
          ? await repo.findByExternalId(workspaceId, e.externalId)
          : await repo.findByEmail(workspaceId, e.email ?? '');
    if (!c) throw new NotFoundError('contact', e.contactId ?? e.externalId ?? e.email ?? '');
    return c._id;
  }
}

function idOf(raw: unknown): string | null {
  const id = typeof raw === 'object' && raw !== null ? (raw as { eventId?: unknown }).eventId : undefined;
  return typeof id === 'string' ? id : null;
}

function notProcessed(raw: unknown): IngestResult {
  const message =
    'The server is shutting down: this event was not processed. Send it again (replays are safe).';
  return { eventId: idOf(raw), status: 'not-processed', error: { code: 'SHUTTING_DOWN', message } };
}
