/**
 * Writes a bot message's conversation activity onto the contact (src/domain/conversations): one
 * update guarded by the contact's version (a concurrent writer makes us re-read and retry) and by
 * the message id (a channel's retry of the same activity counts once), no transaction needed.
 * Also the handoff state rules can see (`handoff open`, `waited for an agent …`).
 */
import type { Collection, Db, Document } from 'mongodb';
import { ConflictError } from '../../errors';
import { evaluateBy } from '../../domain/contacts/repo';
import {
  applyMessage,
  type ConversationActivity,
  type MessageSignal,
} from '../../domain/conversations/activity';

/** How many recent message ids a contact remembers for de-duplication. */
export const MESSAGE_IDS_KEPT = 50;
const MAX_ATTEMPTS = 8;

type ActivityDoc = ConversationActivity & {
  _id: string;
  workspaceId: string;
  version: number;
  recentMessageIds?: string[];
};

/** `recorded` (and whether it began a conversation), `already` (a retry), or `missing`. */
export type RecordOutcome =
  { status: 'recorded'; newConversation: boolean } | { status: 'already' | 'missing' };

/** Open handoff as the contact shows it: waiting for an agent (since when) or connected. */
export type { HandoffState } from '../../domain/conversations/service';
import type { HandoffState } from '../../domain/conversations/service';

export class ContactActivityRepo {
  private readonly col: Collection<ActivityDoc>;
  constructor(db: Db) {
    this.col = db.collection<ActivityDoc>('contacts');
  }

  async recordMessage(
    workspaceId: string,
    contactId: string,
    m: MessageSignal,
    messageId: string | undefined,
    now: Date,
  ): Promise<RecordOutcome> {
    const projection = {
      version: 1,
      lastMessageAt: 1,
      lastConversationId: 1,
      recentConversations: 1,
      recentIntents: 1,
      recentMessageIds: 1,
    };
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const doc = await this.col.findOne({ _id: contactId, workspaceId }, { projection });
      if (!doc) return { status: 'missing' };
      if (messageId !== undefined && doc.recentMessageIds?.includes(messageId)) return { status: 'already' };
      const c = applyMessage(doc, m);
      const update: Document = {
        $set: {
          lastMessageAt: c.lastMessageAt,
          lastConversationId: c.lastConversationId,
          recentConversations: c.recentConversations,
          recentIntents: c.recentIntents,
          updatedAt: now,
          // Rules read activity: the re-evaluation marker rides in the same update (EVALUATE_WITHIN_MS).
          nextRecheckAt: evaluateBy(now),
        },
        $max: { lastConversationAt: m.at },
        $inc: { version: 1, ...(c.newConversation ? { conversationCount: 1 } : {}) },
        ...(messageId === undefined
          ? {}
          : { $push: { recentMessageIds: { $each: [messageId], $slice: -MESSAGE_IDS_KEPT } } }),
      };
      const r = await this.col.updateOne({ _id: contactId, workspaceId, version: doc.version }, update);
      if (r.matchedCount === 1) return { status: 'recorded', newConversation: c.newConversation };
    }
    throw new ConflictError('contact is changing too fast; retry');
  }

  /** Sets or clears the contact's handoff state; false when the contact is gone. */
  async setHandoff(workspaceId: string, contactId: string, state: HandoffState, now: Date): Promise<boolean> {
    const update: Document =
      state === null
        ? { $unset: { handoffStatus: '', handoffWaitingSince: '' } }
        : state.status === 'waiting'
          ? { $set: { handoffStatus: 'waiting', handoffWaitingSince: state.since } }
          : { $set: { handoffStatus: 'connected' }, $unset: { handoffWaitingSince: '' } };
    update.$inc = { version: 1 };
    // Rules read the handoff state: the re-evaluation marker rides in the same update.
    update.$set = {
      ...(update.$set as Document | undefined),
      updatedAt: now,
      nextRecheckAt: evaluateBy(now),
    };
    const r = await this.col.updateOne({ _id: contactId, workspaceId }, update);
    return r.matchedCount === 1;
  }
}
