/** Segment transitions: the outbox records (DESIGN §3.5). */
import type { TransitionCause } from '../contacts/types';

export interface Transition {
  /** `${contactId}:${seq}`: one record per contact and sequence number, so a replay is a no-op. */
  _id: string;
  workspaceId: string;
  contactId: string;
  segmentId: string;
  kind: 'entered' | 'exited';
  at: Date;
  cause: TransitionCause;
  /** Per-contact sequence, gap-free, in the order the changes happened. */
  seq: number;
  /** Global dispatch order, allocated when the record leaves the contact's outbox. */
  position: number;
}

/** A transition still inside its contact document (written atomically with the membership). */
export type PendingTransition = Omit<Transition, '_id' | 'position'>;

/** The Clock port lives in ../ports/clock; re-exported for the modules that import it from here. */
export type { Clock } from '../ports/clock';
