/**
 * A TraitChange as Mongo update documents: the full update (traits + bookkeeping), the
 * condition under which it may apply, and the record-only update used when it may not.
 */
import type { Document } from 'mongodb';
import { evaluateBy, type TraitChange } from '../../domain/contacts/repo';

/** How many recent event ids a contact remembers; replays older than that rely on the event's status. */
export const APPLIED_EVENT_IDS_KEPT = 500;

export interface TraitUpdate {
  condition: Document;
  update: Document;
  /** Only bumps version/updatedAt (and records the event id): for when `condition` fails. */
  recordOnly: Document;
}

export function traitUpdate(change: TraitChange, now: Date, eventId?: string): TraitUpdate {
  const push: Document =
    eventId === undefined
      ? {}
      : { $push: { appliedEventIds: { $each: [eventId], $slice: -APPLIED_EVENT_IDS_KEPT } } };
  const recordOnly: Document = { ...push, $inc: { version: 1 }, $set: { updatedAt: now } };
  const update: Document = {
    ...push,
    $inc: { ...change.inc, version: 1 },
    // The re-evaluation marker (see EVALUATE_WITHIN_MS) rides in the same atomic update.
    $set: { ...change.set, updatedAt: now, nextRecheckAt: evaluateBy(now) },
    ...(change.max ? { $max: { ...change.max } } : {}),
  };
  return { condition: conditionOf(change), update, recordOnly };
}

function conditionOf(change: TraitChange): Document {
  const r = change.requires;
  if (!r) return {};
  // Missing or null leadScoreAt means no score yet; equal instants: the later arrival wins.
  return {
    $or: [
      { leadScoreAt: { $exists: false } },
      { leadScoreAt: null },
      { leadScoreAt: { $lte: r.leadScoreNotAfter } },
    ],
  };
}
