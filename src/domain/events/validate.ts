/** Checks on one event before it is stored, and how an item's failure is answered. */
import { AppError, NotFoundError } from '../../errors';
import { parseOrThrow, validationError } from '../contacts/parse';
import { EVENT_DATA, type EventEnvelope, type IngestResult } from './types';

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

/** The event's `data`, checked against its type's schema and our limits; throws a validation error. */
export function validData(e: EventEnvelope): unknown {
  if (nestedDeeperThan(e.data, MAX_DATA_DEPTH)) {
    throw validationError([{ path: 'data', problem: `nested more than ${MAX_DATA_DEPTH} levels deep` }]);
  }
  const data: unknown = parseOrThrow(EVENT_DATA[e.type], e.data, 'data');
  if (e.type === 'custom' && JSON.stringify(data ?? {}).length > MAX_CUSTOM_JSON) {
    throw validationError([{ path: 'data', problem: `at most ${MAX_CUSTOM_JSON} characters of JSON` }]);
  }
  return data;
}

export function notFound(e: EventEnvelope): NotFoundError {
  return new NotFoundError('contact', e.contactId ?? e.externalId ?? e.email ?? '');
}

/** A client error (4xx) as the item's `invalid` result; anything else is rethrown. */
export function invalidResult(eventId: string | null, err: unknown): IngestResult {
  if (!(err instanceof AppError) || err.status >= 500) throw err;
  const error = { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
  return { eventId, status: 'invalid', error };
}

export function idOf(raw: unknown): string | null {
  const id = typeof raw === 'object' && raw !== null ? (raw as { eventId?: unknown }).eventId : undefined;
  return typeof id === 'string' ? id : null;
}

export function notProcessed(raw: unknown): IngestResult {
  const message =
    'The server is shutting down: this event was not processed. Send it again (replays are safe).';
  return { eventId: idOf(raw), status: 'not-processed', error: { code: 'SHUTTING_DOWN', message } };
}
