/**
 * The events Segments ingests (DESIGN §3.1), their payload schemas, and the stored record.
 * Each carries a caller-given `eventId` (unique per workspace: replays are recognised) and names
 * its contact by `contactId`, `externalId` or `email`.
 */
import { z } from 'zod';
import { emailSchema, externalIdSchema, objectError } from '../contacts/validation';

const amount = z
  .number({ error: 'amount must be a number' })
  .refine(Number.isFinite, 'amount must be finite')
  .min(0, 'amount must be at least 0');
const none = z.strictObject({}, objectError('data must be an object')).optional();
const data = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject(shape, objectError('data must be an object'));

/** Pairs a ticket's (deal's) opened and closed events, whatever order they arrive in. */
const entityId = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, `${what} must not be empty`)
    .max(200, `${what} must be at most 200 characters`);

/** `data` per type. Custom data is any JSON object, stored as a JSON string (its keys never reach Mongo). */
export const EVENT_DATA = {
  purchase: data({
    amount,
    currency: z
      .string({ error: 'currency must be a string' })
      .regex(/^[A-Za-z]{3}$/, 'currency must be 3 letters'),
  }),
  refund: data({ amount }),
  conversation: none,
  'ticket.opened': data({ ticketId: entityId('ticketId').optional() }).optional(),
  'ticket.closed': data({ ticketId: entityId('ticketId').optional() }).optional(),
  'deal.opened': data({ dealId: entityId('dealId').optional() }).optional(),
  'deal.closed': data({
    won: z.boolean({ error: 'won must be true or false' }),
    dealId: entityId('dealId').optional(),
  }),
  'lead_score.set': data({
    score: z
      .number({ error: 'score must be a number' })
      .min(0, 'score must be from 0 to 100')
      .max(100, 'score must be from 0 to 100'),
  }),
  custom: z.record(z.string(), z.unknown(), { error: 'data must be an object' }).optional(),
} as const;

export type EventType = keyof typeof EVENT_DATA;
export const EVENT_TYPES = Object.keys(EVENT_DATA) as EventType[];

/** The envelope; `data` is checked against its type afterwards, so errors say `data.amount`. */
export const eventEnvelopeSchema = z
  .strictObject(
    {
      eventId: z
        .string({ error: 'eventId must be a string' })
        .regex(/^[\w.:@/-]{1,200}$/, 'eventId must be 1-200 characters of letters, digits and _ . : @ / -'),
      type: z.enum(EVENT_TYPES as [EventType, ...EventType[]], {
        error: `type must be one of ${EVENT_TYPES.join(', ')}`,
      }),
      contactId: z.string({ error: 'contactId must be a string' }).min(1).max(100).optional(),
      externalId: externalIdSchema.optional(),
      email: emailSchema.optional(),
      at: z.iso.datetime({ offset: true, error: 'at must be an ISO date-time' }).optional(),
      data: z.unknown().optional(),
    },
    objectError('event must be an object'),
  )
  .refine((e) => [e.contactId, e.externalId, e.email].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of contactId, externalId or email',
    path: ['contactId'],
  });
export type EventEnvelope = z.output<typeof eventEnvelopeSchema>;

export type EventStatus = 'pending' | 'applied' | 'failed';

/** An event as stored in the `events` collection. */
export interface StoredEvent {
  _id: string;
  workspaceId: string;
  eventId: string;
  type: EventType;
  contactId: string;
  at: Date;
  /** Validated payload of a built-in type (scalars only). */
  data?: Record<string, string | number | boolean>;
  /** A custom event's payload as JSON text. */
  dataJson?: string;
  status: EventStatus;
  receivedAt: Date;
  appliedAt?: Date;
  error?: string;
}

/** One item's outcome in a batch. */
export interface IngestResult {
  eventId: string | null;
  /** `not-processed`: the server began shutting down first; sending it again is safe. */
  status: 'applied' | 'duplicate' | 'invalid' | 'not-processed';
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

/** What the event service needs from storage (src/infra/repos/events.ts implements it). */
export interface EventRepo {
  newId(): string;
  /** Inserts; 'duplicate' when the workspace already has this eventId. */
  insert(event: StoredEvent): Promise<'inserted' | 'duplicate'>;
  /** Inserts unordered; per event, in order, 'inserted' or 'duplicate'. */
  insertMany(events: StoredEvent[]): Promise<('inserted' | 'duplicate')[]>;
  find(workspaceId: string, eventId: string): Promise<StoredEvent | null>;
  markApplied(workspaceId: string, eventId: string, now: Date): Promise<void>;
  /** `markApplied` for many events of one workspace, in one write. */
  markAppliedMany(workspaceId: string, eventIds: string[], now: Date): Promise<void>;
  markFailed(workspaceId: string, eventId: string, error: string, now: Date): Promise<void>;
  /**
   * Pending events received before `before`, oldest first, across all workspaces: the one
   * deliberately unscoped query, for the recovery sweep (each result carries its workspaceId).
   */
  findPending(before: Date, limit: number): Promise<StoredEvent[]>;
}
