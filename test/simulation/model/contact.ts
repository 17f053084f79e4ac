/**
 * The model's contacts, written from the definitions (DESIGN §3.1 and the event types), not from
 * the product's code: a contact's fields, its traits as its events make them, and nothing else.
 * Traits start at zero except the dates and the lead score, which are absent until set.
 */

export interface EntityState {
  open: boolean;
  at: number;
  opened: boolean;
}

export interface ModelContact {
  /** The simulation's key for it (`c3`); also its externalId in the product. */
  key: string;
  /** Product id once created (filled in by the harness from the API's answer). */
  id?: string;
  name: string;
  email?: string;
  tags: string[];
  plan?: string;
  createdAt: number;
  lifetimeValue: number;
  purchaseCount: number;
  conversationCount: number;
  lastPurchaseAt?: number;
  lastConversationAt?: number;
  leadScore?: number;
  leadScoreAt?: number;
  /** Tickets and deals by id: each is in the state of its latest event (closed wins a tie). */
  tickets: Map<string, EntityState>;
  deals: Map<string, EntityState>;
  /** What an import said before any ticket/deal event: the base the events count from. */
  baseTickets: number;
  baseTotalTickets: number;
  baseDeals: number;
}

export type SimEvent =
  | { type: 'purchase'; amount: number }
  | { type: 'refund'; amount: number }
  | { type: 'conversation' }
  | { type: 'ticket.opened' | 'ticket.closed'; ticketId: string }
  | { type: 'deal.opened'; dealId: string }
  | { type: 'deal.closed'; dealId: string; won: boolean }
  | { type: 'lead_score.set'; score: number };

/** The event's effect on the contact's traits, at event time `at`. */
export function applyEvent(c: ModelContact, e: SimEvent, at: number): void {
  switch (e.type) {
    case 'purchase':
      c.lifetimeValue += e.amount;
      c.purchaseCount += 1;
      c.lastPurchaseAt = Math.max(c.lastPurchaseAt ?? -Infinity, at);
      return;
    case 'refund':
      c.lifetimeValue -= e.amount;
      return;
    case 'conversation':
      c.conversationCount += 1;
      c.lastConversationAt = Math.max(c.lastConversationAt ?? -Infinity, at);
      return;
    case 'ticket.opened':
    case 'ticket.closed':
      entity(c.tickets, e.ticketId, e.type === 'ticket.opened', at);
      return;
    case 'deal.opened':
    case 'deal.closed':
      entity(c.deals, e.dealId, e.type === 'deal.opened', at);
      return;
    case 'lead_score.set':
      // The latest score by event time wins; at the same instant the later arrival does.
      if (c.leadScoreAt === undefined || c.leadScoreAt <= at) {
        c.leadScore = e.score;
        c.leadScoreAt = at;
      }
  }
}

function entity(m: Map<string, EntityState>, id: string, open: boolean, at: number): void {
  const cur = m.get(id);
  if (!cur) {
    m.set(id, { open, at, opened: open });
    return;
  }
  const later = at > cur.at || (at === cur.at && !open);
  m.set(id, { open: later ? open : cur.open, at: later ? at : cur.at, opened: cur.opened || open });
}

const count = (m: Map<string, EntityState>, f: (e: EntityState) => boolean) =>
  [...m.values()].filter(f).length;

/** The contact as a rule sees it: field name → value (absent fields are undefined). */
export function fieldsOf(c: ModelContact): Record<string, unknown> {
  return {
    name: c.name,
    email: c.email,
    emailDomain: c.email?.slice(c.email.lastIndexOf('@') + 1),
    'custom.plan': c.plan,
    createdAt: date(c.createdAt),
    lifetimeValue: c.lifetimeValue,
    purchaseCount: c.purchaseCount,
    conversationCount: c.conversationCount,
    lastPurchaseAt: date(c.lastPurchaseAt),
    lastConversationAt: date(c.lastConversationAt),
    leadScore: c.leadScore,
    supportTickets: c.baseTickets + count(c.tickets, (t) => t.open),
    totalTickets: c.baseTotalTickets + count(c.tickets, (t) => t.opened),
    openDeals: c.baseDeals + count(c.deals, (d) => d.open),
  };
}

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

/** Every date the contact holds (for the instants at which a relative rule may flip). */
export function datesOf(c: ModelContact): number[] {
  return [c.createdAt, c.lastPurchaseAt, c.lastConversationAt].filter((d): d is number => d !== undefined);
}
