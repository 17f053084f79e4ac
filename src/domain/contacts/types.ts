/**
 * The contact (DESIGN §3.1) as repositories return it: a plain object. Traits live at the top
 * level so rule fields and Mongo paths are the same names.
 */
export type CustomValue = string | number | boolean | Date | null;

export interface ChannelIdentity {
  channelId: string;
  userId: string;
}

/** Materialised membership: one indexed read per bot turn (`segments.segmentId` is multikey-indexed). */
export interface Membership {
  segmentId: string;
  since: Date;
}

export interface Traits {
  lifetimeValue: number;
  purchaseCount: number;
  lastPurchaseAt?: Date;
  lastConversationAt?: Date;
  conversationCount: number;
  /** 0..100; absent until a lead_score.set event or an API write. */
  leadScore?: number;
  /** When leadScore was last set (event time or API write time): an older score never wins. */
  leadScoreAt?: Date;
  openDeals: number;
  supportTickets: number;
  totalTickets: number;
}

export interface Contact extends Traits {
  _id: string;
  workspaceId: string;
  externalId?: string;
  name: string;
  /** Stored lower-case (rules compare text case-insensitively all the same). */
  email?: string;
  /** Derived from email, lower-case. */
  emailDomain?: string;
  phone?: string;
  createdAt: Date;
  updatedAt: Date;
  tags: string[];
  custom: Record<string, CustomValue>;
  optedOut: boolean;
  identities: ChannelIdentity[];
  segments: Membership[];
  /** The latest bot message (every message; `lastConversationAt` moves with it). */
  lastMessageAt?: Date;
  /** Open handoff: `waiting` for an agent (since `handoffWaitingSince`) or `connected`. */
  handoffStatus?: 'waiting' | 'connected';
  handoffWaitingSince?: Date;
  /** min over the contact's dynamic segments of nextFlip; the sweeper claims contacts due by it. */
  nextRecheckAt: Date | null;
  /** Bumped by every write; membership writes are conditional on it (no lost update). */
  version: number;
}

export const ZERO_TRAITS: Traits = {
  lifetimeValue: 0,
  purchaseCount: 0,
  conversationCount: 0,
  openDeals: 0,
  supportTickets: 0,
  totalTickets: 0,
};

/** Why membership is being re-evaluated; recorded on every transition. */
export type TransitionCause = 'contact' | 'event' | 'time' | 'definition' | 'manual';

/**
 * Called after every contact write or applied event, so membership follows at once. The
 * membership engine implements it; contact and event services depend only on this.
 */
export interface ContactChangeListener {
  contactChanged(workspaceId: string, contactId: string, cause: 'contact' | 'event'): Promise<void>;
  /**
   * Before a delete: records the contact's exits from every segment and list (cause `contact`)
   * and answers the version at which it may now be deleted (null when it is gone). A delete at
   * another version means it changed meanwhile: ask again.
   */
  contactDeleting?(workspaceId: string, contactId: string): Promise<number | null>;
}
