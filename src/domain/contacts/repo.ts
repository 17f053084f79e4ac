/**
 * What the contact and event services need from storage. Every method takes the workspace: a
 * contact of another workspace is simply not found. Implemented by src/infra/repos/contacts.ts.
 */
import type { ChannelIdentity, Contact } from './types';

/** The fields a contact write may change; an absent optional field is removed. */
export type ContactFields = Pick<
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
 * When `requires` does not hold, only the event id is recorded: a decrement never takes a
 * counter below zero, and an older lead score never replaces a newer one.
 */
export interface TraitChange {
  inc?: Partial<Record<CounterTrait, number>>;
  max?: Partial<Record<'lastPurchaseAt' | 'lastConversationAt', Date>>;
  set?: { leadScore: number; leadScoreAt: Date };
  requires?: { positive: 'openDeals' | 'supportTickets' } | { leadScoreNotAfter: Date };
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
  delete(workspaceId: string, id: string): Promise<boolean>;
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
