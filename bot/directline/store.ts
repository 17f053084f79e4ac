/**
 * Direct Line conversations and their activities, in the database (`directline_conversations`,
 * `directline_activities`), so a restart or a second process loses nothing a browser polls for.
 * Tokens are stored hashed. Activities are kept as JSON text: channels and Web Chat put arbitrary
 * keys in them, and DESIGN §2.1 keeps keys with `.` or `$` out of documents. Each conversation
 * numbers its activities 1, 2, 3… (the watermark) with an atomic `$inc`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Collection, Db } from 'mongodb';

/** The user a conversation belongs to (Direct Line binds it into the token). */
export interface DirectLineUser {
  id: string;
  name: string;
}

export interface DirectLineConversation {
  _id: string;
  tokenHash: string;
  user: DirectLineUser;
  /** The workspace whose API key opened the conversation (always the bot's). */
  workspaceId: string;
  /** sha256 of that key: the token dies with it (revoked or replaced). Absent on pre-binding records. */
  keyHash?: string;
  seq: number;
  /** Set once the bot has been told the user joined. */
  started: boolean;
  createdAt: Date;
  expiresAt: Date;
}

interface ActivityDoc {
  _id: string;
  conversationId: string;
  watermark: number;
  json: string;
  at: Date;
}

/** A stored activity as Web Chat reads it back. */
export type StoredActivity = Record<string, unknown> & { id: string };

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
const random = (bytes: number) => randomBytes(bytes).toString('base64url');

export class DirectLineStore {
  private readonly conversations: Collection<DirectLineConversation>;
  private readonly activities: Collection<ActivityDoc>;

  constructor(
    db: Db,
    private readonly tokenTtlMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.conversations = db.collection('directline_conversations');
    this.activities = db.collection('directline_activities');
  }

  async ensureIndexes(): Promise<void> {
    await this.conversations.createIndex({ tokenHash: 1 }, { unique: true });
    await this.conversations.createIndex({ expiresAt: 1 });
    await this.activities.createIndex({ conversationId: 1, watermark: 1 }, { unique: true });
  }

  /** A new conversation and the token that opens it. */
  async create(
    user: DirectLineUser,
    issuer: { workspaceId: string; keyHash: string },
  ): Promise<{ conversation: DirectLineConversation; token: string }> {
    const token = random(32);
    const now = this.clock();
    const conversation: DirectLineConversation = {
      _id: random(16),
      tokenHash: hash(token),
      user,
      workspaceId: issuer.workspaceId,
      keyHash: issuer.keyHash,
      seq: 0,
      started: false,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.tokenTtlMs),
    };
    await this.conversations.insertOne(conversation);
    return { conversation, token };
  }

  /** The conversation a token opens, or null when the token is unknown or expired. */
  async byToken(token: string): Promise<DirectLineConversation | null> {
    const c = await this.conversations.findOne({ tokenHash: hash(token) });
    return c && c.expiresAt > this.clock() ? c : null;
  }

  async get(conversationId: string): Promise<DirectLineConversation | null> {
    return this.conversations.findOne({ _id: conversationId });
  }

  /** Extends the token's life (Web Chat refreshes every 15 minutes); the token itself stays. */
  async refresh(conversationId: string): Promise<Date> {
    const expiresAt = new Date(this.clock().getTime() + this.tokenTtlMs);
    await this.conversations.updateOne({ _id: conversationId }, { $set: { expiresAt } });
    return expiresAt;
  }

  /** True exactly once per conversation: the caller then tells the bot the user joined. */
  async markStarted(conversationId: string): Promise<boolean> {
    const r = await this.conversations.updateOne(
      { _id: conversationId, started: false },
      { $set: { started: true } },
    );
    return r.modifiedCount === 1;
  }

  /** Appends an activity; its id is `<conversation>|<watermark>`, as Direct Line spells them. */
  async append(conversationId: string, activity: Record<string, unknown>): Promise<StoredActivity> {
    const c = await this.conversations.findOneAndUpdate(
      { _id: conversationId },
      { $inc: { seq: 1 } },
      { returnDocument: 'after', projection: { seq: 1 } },
    );
    if (!c) throw new Error(`no Direct Line conversation ${conversationId}`);
    const now = this.clock();
    const id = `${conversationId}|${String(c.seq).padStart(7, '0')}`;
    const stored: StoredActivity = { ...activity, id, timestamp: now.toISOString() };
    await this.activities.insertOne({
      _id: id,
      conversationId,
      watermark: c.seq,
      json: JSON.stringify(stored),
      at: now,
    });
    return stored;
  }

  /**
   * Deletes up to `limit` conversations whose token expired before `before`, with their
   * activities; nobody can read them any more (an active conversation's token is refreshed).
   * Returns how many went, so a loop runs again at once while there are more.
   */
  async purgeExpired(before: Date, limit = 100): Promise<number> {
    const gone = await this.conversations
      .find({ expiresAt: { $lt: before } }, { projection: { _id: 1 } })
      .limit(limit)
      .toArray();
    if (gone.length === 0) return 0;
    const ids = gone.map((c) => c._id);
    // Activities first: a crash in between leaves a conversation to purge again, never orphans.
    await this.activities.deleteMany({ conversationId: { $in: ids } });
    await this.conversations.deleteMany({ _id: { $in: ids }, expiresAt: { $lt: before } });
    return ids.length;
  }

  /** Activities after `watermark`, oldest first, and the watermark to ask from next time. */
  async since(conversationId: string, watermark: number, limit = 100) {
    const docs = await this.activities
      .find({ conversationId, watermark: { $gt: watermark } })
      .sort({ watermark: 1 })
      .limit(limit)
      .toArray();
    return {
      activities: docs.map((d) => JSON.parse(d.json) as StoredActivity),
      watermark: docs.at(-1)?.watermark ?? watermark,
    };
  }
}
