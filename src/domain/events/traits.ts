/**
 * Pure: what an event does to a contact's traits (the table in DESIGN §3.1). The repository
 * applies the result in one atomic update.
 */
import type { TraitChange } from '../contacts/repo';
import type { StoredEvent } from './types';

const num = (e: StoredEvent, k: string): number => {
  const v = e.data?.[k];
  return typeof v === 'number' ? v : 0;
};

const idOf = (e: StoredEvent, k: string): { id?: string } => {
  const v = e.data?.[k];
  return typeof v === 'string' ? { id: v } : {};
};

/** The trait change for an event; null for types that are stored but change no trait (custom). */
export function traitChangeFor(e: StoredEvent): TraitChange | null {
  switch (e.type) {
    case 'purchase':
      return { inc: { lifetimeValue: num(e, 'amount'), purchaseCount: 1 }, max: { lastPurchaseAt: e.at } };
    case 'refund':
      return { inc: { lifetimeValue: -num(e, 'amount') } };
    case 'conversation':
      return conversationChange(e.at);
    // Order-free through the contact's ledger (ledger.ts): the latest event per id wins.
    case 'ticket.opened':
    case 'ticket.closed':
      return {
        entity: { kind: 'ticket', ...idOf(e, 'ticketId'), open: e.type === 'ticket.opened', at: e.at },
      };
    case 'deal.opened':
    case 'deal.closed':
      return { entity: { kind: 'deal', ...idOf(e, 'dealId'), open: e.type === 'deal.opened', at: e.at } };
    case 'lead_score.set':
      return {
        set: { leadScore: num(e, 'score'), leadScoreAt: e.at },
        requires: { leadScoreNotAfter: e.at },
      };
    case 'custom':
      return null;
  }
}

/** A bot turn or a `conversation` event; `$max` keeps a late one from moving the time back. */
function conversationChange(at: Date): TraitChange {
  return { inc: { conversationCount: 1 }, max: { lastConversationAt: at } };
}
