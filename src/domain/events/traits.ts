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

/** The trait change for an event; null for types that are stored but change no trait (custom). */
export function traitChangeFor(e: StoredEvent): TraitChange | null {
  switch (e.type) {
    case 'purchase':
      return { inc: { lifetimeValue: num(e, 'amount'), purchaseCount: 1 }, max: { lastPurchaseAt: e.at } };
    case 'refund':
      return { inc: { lifetimeValue: -num(e, 'amount') } };
    case 'conversation':
      return conversationChange(e.at);
    case 'ticket.opened':
      return { inc: { supportTickets: 1, totalTickets: 1 } };
    case 'ticket.closed':
      return { inc: { supportTickets: -1 }, requires: { positive: 'supportTickets' } };
    case 'deal.opened':
      return { inc: { openDeals: 1 } };
    case 'deal.closed':
      return { inc: { openDeals: -1 }, requires: { positive: 'openDeals' } };
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
export function conversationChange(at: Date): TraitChange {
  return { inc: { conversationCount: 1 }, max: { lastConversationAt: at } };
}
