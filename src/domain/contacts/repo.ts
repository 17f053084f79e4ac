/**
 * What the contact and event services need from storage. Every method takes the workspace: a
 * contact of another workspace is simply not found. Implemented by src/infra/repos/contacts.ts.
 */
import type { ChannelIdentity, Contact } from './types';

/**
 * The fields a contact write may change; an absent optional field is removed (except
 * `createdAt`, which is only ever set: by an import that knows an earlier creation).
 */
export type ContactFields = { createdAt?: Date } & Pick<
  Contact,
  | 'externalId'
  | 'name'
  | 'email'
  | 'emailDomain'
  | 'phone'
  | 'tags'
  | 'custom'
  | 'optedOut'
  | 'identities'
  | 'leadScore'
  | 'leadScoreAt'
>;

/**
 * Every write that can change a contact's membership also sets `nextRecheckAt` to at most this
 * far ahead, in the same atomic update: the engine's evaluation right after replaces it with the
 * real instant, and if the process dies in between, the sweeper re-evaluates the contact when the
 * marker falls due. So an applied event or a contact write always converges, crash or not.
 */
export const EVALUATE_WITHIN_MS = 5_000;

/** The marker instant for a write at `now`. */
export const evaluateBy = (now: Date): Date => new Date(now.getTime() + EVALUATE_WITHIN_MS);

/** GET /contacts filters: who the contact is (all given ones must hold). */
export interface ContactFilter {
  email?: string;
  externalId?: string;
  identity?: ChannelIdentity;
  /** Case-insensitive, like tags everywhere. */
  tag?: string;
  /** A segment or list id: its current members. */
  segmentId?: string;
}

export type CounterTrait =
  'lifetimeValue' | 'purchaseCount' | 'conversationCount' | 'openDeals' | 'supportTickets' | 'totalTickets';

/**
 * How an event changes traits, as data (the repository turns it into one atomic update).
 * When `requires` does not hold, only the event id is recorded: an older lead score never
 * replaces a newer one.
 */
export interface TraitChange {
  inc?: Partial<Record<CounterTrait, number>>;
  max?: Partial<Record<'lastPurchaseAt' | 'lastConversationAt', Date>>;
  set?: { leadScore: number; leadScoreAt: Date };
  requires?: { leadScoreNotAfter: Date };
  /** A ticket or deal event: applied through the contact's ledger (domain/events/ledger.ts). */
  entity?: { kind: 'ticket' | 'deal'; id?: string; open: boolean; at: Date };
}

/**
 * `applied`: traits changed; `recorded`: the condition failed, only the id was recorded;
 * `already`: this event was applied before; `missing`: no such contact.
 */
export type ApplyOutcome = 'applied' | 'recorded' | 'already' | 'missing';

export interface ContactRepo {
  /** Throws ConflictError when the externalId, email or a channel identity is taken. */
  insert(contact: Contact): Promise<void>;
  findById(workspaceId: string, id: string): Promise<Contact | null>;
  findByExternalId(workspaceId: string, externalId: string): Promise<Contact | null>;
  findByEmail(workspaceId: string, email: string): Promise<Contact | null>;
  /** The contacts with these ids (one read; missing ids are simply absent). */
  findByIds(workspaceId: string, ids: string[]): Promise<Contact[]>;
  /** The contacts holding any of these externalIds or emails (emails compared case-insensitively). */
  findByKeys(workspaceId: string, externalIds: string[], emails: string[]): Promise<Contact[]>;
  findByIdentity(workspaceId: string, identity: ChannelIdentity): Promise<Contact | null>;
  /**
   * Replaces the writable fields if the contact is still at `expectedVersion`; bumps version and
   * updatedAt. Null when the version moved on (the caller re-reads and retries) or it is gone.
   */
  update(
    workspaceId: string,
    id: string,
    expectedVersion: number,
    fields: ContactFields,
    now: Date,
  ): Promise<Contact | null>;
  /** Deletes the contact; with `version`, only if it is still at that version. */
  delete(workspaceId: string, id: string, version?: number): Promise<boolean>;
  /**
   * Contacts with `_id` greater than `afterId`, ascending: keyset pagination; `filter` narrows
   * them (every filter is served by an index).
   */
  list(
    workspaceId: string,
    afterId: string | undefined,
    limit: number,
    filter?: ContactFilter,
  ): Promise<Contact[]>;
  /** Applies an event once: one atomic update guarded by the contact's recent event ids. */
  applyEvent(
    workspaceId: string,
    id: string,
    eventId: string,
    change: TraitChange,
    now: Date,
  ): Promise<ApplyOutcome>;
  /** Applies traits without an event id (no replay protection); false when the contact is missing. */
  applyTraits(workspaceId: string, id: string, change: TraitChange, now: Date): Promise<boolean>;
}
