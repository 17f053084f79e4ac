/**
 * Confirmations the bot is waiting for (`/segment update` and `/segment delete` ask "yes?"), kept in
 * the database so a restart between the question and the answer loses nothing, and so any process
 * behind a load balancer can take the answer. One per admin and conversation; `take` removes it
 * atomically, so two processes can never both apply the same confirmation.
 */
import type { Collection, Db } from 'mongodb';

/** What is to be done on "yes": plain data, re-validated when applied. */
export type PendingAction =
  | { kind: 'segment.update'; segmentId: string; name: string; ruleText: string }
  | { kind: 'segment.delete'; segmentId: string; name: string };

export interface PendingOwner {
  workspaceId: string;
  channelId: string;
  userId: string;
  conversationId: string;
}

interface PendingDoc {
  _id: string;
  action: PendingAction;
  expiresAt: Date;
}

export class PendingConfirmationRepo {
  private readonly col: Collection<PendingDoc>;
  constructor(db: Db) {
    this.col = db.collection<PendingDoc>('bot_confirmations');
  }

  /** Replaces any earlier question of the same admin in the same conversation. */
  async put(owner: PendingOwner, action: PendingAction, expiresAt: Date): Promise<void> {
    await this.col.replaceOne({ _id: keyOf(owner) }, { action, expiresAt }, { upsert: true });
  }

  /** Is there a question waiting? (A cheap read before `take`, so most turns write nothing.) */
  async has(owner: PendingOwner, now: Date): Promise<boolean> {
    return (await this.col.countDocuments({ _id: keyOf(owner), expiresAt: { $gt: now } }, { limit: 1 })) > 0;
  }

  /** Removes and returns the waiting action; an expired one is removed and not returned. */
  async take(owner: PendingOwner, now: Date): Promise<PendingAction | null> {
    const doc = await this.col.findOneAndDelete({ _id: keyOf(owner) });
    return doc && doc.expiresAt > now ? doc.action : null;
  }
}

const keyOf = (o: PendingOwner): string =>
  JSON.stringify([o.workspaceId, o.channelId, o.userId, o.conversationId]);
