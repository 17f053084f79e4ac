/**
 * Ticket and deal events through the contact's ledger (domain/events/ledger.ts): read the
 * contact, compute the new ledger and counters, write them in ONE update guarded by the version
 * and by the event id (so it applies once, with the re-evaluation marker), retry on a race.
 */
import type { Collection, Document } from 'mongodb';
import { evaluateBy, type ApplyOutcome, type TraitChange } from '../../domain/contacts/repo';
import { APPLIED_EVENT_IDS_KEPT } from './contactTraits';
import { applyEntityEvent, countsOf, emptyLedger, type Ledger } from '../../domain/events/ledger';

const MAX_ATTEMPTS = 16;
const FIELDS = {
  ticket: { ledger: 'ticketLedger', open: 'supportTickets', total: 'totalTickets' },
  deal: { ledger: 'dealLedger', open: 'openDeals', total: null },
} as const;

type Raw = Collection<{ _id: string; [field: string]: unknown }>;

export async function applyLedgerEvent(
  col: Raw,
  workspaceId: string,
  id: string,
  eventId: string,
  entity: NonNullable<TraitChange['entity']>,
  now: Date,
): Promise<ApplyOutcome> {
  const f = FIELDS[entity.kind];
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const doc = await col.findOne(
      { workspaceId, _id: id },
      { projection: { version: 1, appliedEventIds: 1, [f.ledger]: 1, [f.open]: 1, totalTickets: 1 } },
    );
    if (!doc) return 'missing';
    if ((doc.appliedEventIds as string[] | undefined)?.includes(eventId)) return 'already';
    // Before the first such event the counters are the contact's own (imported) starting values.
    const current =
      (doc[f.ledger] as Ledger | undefined) ??
      emptyLedger(Number(doc[f.open] ?? 0), Number(f.total ? (doc[f.total] ?? 0) : 0));
    const ledger = applyEntityEvent(current, entity);
    const counts = countsOf(ledger);
    const update: Document = {
      $set: {
        [f.ledger]: ledger,
        [f.open]: counts.open,
        ...(f.total ? { [f.total]: counts.total } : {}),
        updatedAt: now,
        nextRecheckAt: evaluateBy(now),
      },
      $inc: { version: 1 },
      $push: { appliedEventIds: { $each: [eventId], $slice: -APPLIED_EVENT_IDS_KEPT } },
    };
    const guard = { workspaceId, _id: id, version: doc.version, appliedEventIds: { $ne: eventId } };
    const r = await col.updateOne(guard, update);
    if (r.matchedCount === 1) return 'applied';
  }
  throw new Error(`contact ${id} kept changing while applying event ${eventId}`);
}
