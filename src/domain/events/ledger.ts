/**
 * Pure: ticket and deal counters that do not depend on the order events arrive in.
 *
 * The rule: each ticket (deal) named by `ticketId` (`dealId`) is in the state of its LATEST event
 * by event time (`at`); at the same instant, closed wins. It counts as open if that state is open,
 * and towards `totalTickets` once any `opened` event for it was seen. Events without an id cannot
 * be paired, so they are counted: open = max(0, base + opened - closed), a function of how many
 * there were, not of their order. `base` is what the contact had before its first such event
 * (an import's initial values). Every step is a max or a sum over the set of events seen, so any
 * arrival order gives the same traits.
 */

/** One ticket or deal, by its id. Stored in an array (ids never become document keys). */
export interface EntityState {
  id: string;
  open: boolean;
  at: Date;
  /** Whether an `opened` event was seen (counts towards the total). */
  opened: boolean;
}

export interface Ledger {
  baseOpen: number;
  baseTotal: number;
  anonOpened: number;
  anonClosed: number;
  entities: EntityState[];
}

export interface EntityEvent {
  id?: string;
  open: boolean;
  at: Date;
}

/** Closed entities beyond this many are folded into `baseTotal` (oldest first). */
export const MAX_ENTITIES = 1000;

export const emptyLedger = (baseOpen: number, baseTotal: number): Ledger => ({
  baseOpen,
  baseTotal,
  anonOpened: 0,
  anonClosed: 0,
  entities: [],
});

export function applyEntityEvent(l: Ledger, e: EntityEvent): Ledger {
  if (e.id === undefined)
    return e.open ? { ...l, anonOpened: l.anonOpened + 1 } : { ...l, anonClosed: l.anonClosed + 1 };
  const entities = [...l.entities];
  const i = entities.findIndex((x) => x.id === e.id);
  const cur = entities[i];
  if (!cur) entities.push({ id: e.id, open: e.open, at: e.at, opened: e.open });
  else {
    const t = e.at.getTime();
    const later = t > cur.at.getTime() || (t === cur.at.getTime() && !e.open);
    entities[i] = {
      id: cur.id,
      open: later ? e.open : cur.open,
      at: later ? e.at : cur.at,
      opened: cur.opened || e.open,
    };
  }
  return trim({ ...l, entities });
}

function trim(l: Ledger): Ledger {
  if (l.entities.length <= MAX_ENTITIES) return l;
  const closed = l.entities.filter((x) => !x.open).sort((a, b) => a.at.getTime() - b.at.getTime());
  const drop = new Set(closed.slice(0, l.entities.length - MAX_ENTITIES));
  const folded = [...drop].filter((x) => x.opened).length;
  return { ...l, baseTotal: l.baseTotal + folded, entities: l.entities.filter((x) => !drop.has(x)) };
}

/** The counters a ledger stands for. */
export function countsOf(l: Ledger): { open: number; total: number } {
  const open =
    Math.max(0, l.baseOpen + l.anonOpened - l.anonClosed) + l.entities.filter((x) => x.open).length;
  const total = l.baseTotal + l.anonOpened + l.entities.filter((x) => x.opened).length;
  return { open, total };
}
