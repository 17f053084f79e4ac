/**
 * Conversation references for proactive messages (`conversation_refs`), stored per contact (for
 * campaigns and flows) and per channel user (for agents and admins, who may not be contacts).
 * The `_id` is derived from the owner, so every turn's save is one idempotent upsert. The reference
 * is kept as a JSON string: channels put arbitrary keys in it, and DESIGN §2.1 keeps keys with
 * `.` or `$` out of documents.
 */
import type { Collection, Db } from 'mongodb';
import type { ConversationReference } from 'botbuilder';
import { isDuplicateKey } from './mongoErrors';

interface RefDoc {
  _id: string;
  workspaceId: string;
  kind: 'contact' | 'user';
  contactId?: string;
  channelId?: string;
  userId?: string;
  refJson: string;
  updatedAt: Date;
}

/** A user stored under this channel id is reachable on whichever channel they last used. */
export const ANY_CHANNEL = '*';

export class ConversationRefRepo {
  private readonly col: Collection<RefDoc>;
  constructor(db: Db) {
    this.col = db.collection<RefDoc>('conversation_refs');
  }

  async ensureIndexes(): Promise<void> {
    await this.col.createIndex({ workspaceId: 1, kind: 1, userId: 1, updatedAt: -1 });
  }

  /** Saves the latest reference of a contact and of the channel user behind it. */
  async save(
    workspaceId: string,
    contactId: string,
    channelId: string,
    userId: string,
    ref: Partial<ConversationReference>,
    now: Date,
  ): Promise<void> {
    const refJson = JSON.stringify(ref);
    await Promise.all([
      this.upsert(
        key(workspaceId, 'contact', contactId),
        { workspaceId, kind: 'contact', contactId },
        refJson,
        now,
      ),
      this.upsert(
        key(workspaceId, 'user', channelId, userId),
        { workspaceId, kind: 'user', channelId, userId },
        refJson,
        now,
      ),
    ]);
  }

  async forContact(workspaceId: string, contactId: string): Promise<Partial<ConversationReference> | null> {
    return parse(await this.col.findOne({ _id: key(workspaceId, 'contact', contactId) }));
  }

  /** References of many contacts at once (campaigns), by contact id; contacts without one are absent. */
  async forContacts(
    workspaceId: string,
    contactIds: readonly string[],
  ): Promise<Map<string, Partial<ConversationReference>>> {
    const docs = await this.col
      .find({ _id: { $in: contactIds.map((id) => key(workspaceId, 'contact', id)) } })
      .toArray();
    return new Map(docs.map((d) => [d.contactId ?? '', parse(d)!]));
  }

  /** `channelId` may be ANY_CHANNEL: the user's most recent reference on any channel. */
  async forUser(
    workspaceId: string,
    channelId: string,
    userId: string,
  ): Promise<Partial<ConversationReference> | null> {
    if (channelId !== ANY_CHANNEL)
      return parse(await this.col.findOne({ _id: key(workspaceId, 'user', channelId, userId) }));
    const latest = await this.col
      .find({ workspaceId, kind: 'user', userId })
      .sort({ updatedAt: -1 })
      .limit(1)
      .next();
    return parse(latest);
  }

  private async upsert(
    _id: string,
    owner: Omit<RefDoc, '_id' | 'refJson' | 'updatedAt'>,
    refJson: string,
    now: Date,
  ) {
    const write = () =>
      this.col.updateOne({ _id }, { $set: { ...owner, refJson, updatedAt: now } }, { upsert: true });
    // Two first turns at once may both try to insert the same _id: the loser's retry updates.
    await write().catch((err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
      return write();
    });
  }
}

const key = (workspaceId: string, ...parts: string[]): string => JSON.stringify([workspaceId, ...parts]);

function parse(doc: RefDoc | null): Partial<ConversationReference> | null {
  return doc ? (JSON.parse(doc.refJson) as Partial<ConversationReference>) : null;
}
