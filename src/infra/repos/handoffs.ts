/**
 * HandoffRepo on the native driver (`handoffs` collection): the persisted human-agent queue
 * (DESIGN §3.8). Every state change is one conditional `findOneAndUpdate` on the expected status,
 * so two agents (or an agent and the timeout job) racing for one request cannot both win, and no
 * transaction is needed. All reads and writes are scoped by workspaceId; results are plain objects.
 */
import { ObjectId, type Collection, type Db } from 'mongodb';
import { isDuplicateKey } from './mongoErrors';

export type HandoffStatus = 'queued' | 'active' | 'ended' | 'expired';

export interface UserRef {
  channelId: string;
  userId: string;
}

/** The contact's segments when they asked: the queue is ordered by this snapshot, not by later changes. */
export interface SegmentSnapshot {
  segmentId: string;
  name: string;
  priority: number;
  routing: boolean;
}

export interface Handoff {
  _id: string;
  workspaceId: string;
  contactId: string;
  contactName: string;
  customer: UserRef;
  segments: SegmentSnapshot[];
  /** In at least one routing segment: queued ahead of everyone who is not. */
  routing: boolean;
  /** The highest priority among the contact's segments (0 with none). */
  priority: number;
  requestedAt: Date;
  status: HandoffStatus;
  /**
   * The contact id while queued or active, `closed:<_id>` afterwards. Unique per workspace, so a
   * plain unique index (which both MongoDB and mongo-java-server enforce; partial indexes are not
   * in our common subset) allows one open request per contact.
   */
  openSlot: string;
  agent?: UserRef;
  acceptedAt?: Date;
  endedAt?: Date;
  endedBy?: 'agent' | 'customer';
  expiredAt?: Date;
  /** After expiry: the customer's next message is kept as a left message. */
  awaitingMessage?: boolean;
  leftMessage?: { text: string; at: Date };
  /** What the customer wrote while queued (the latest WAITING_KEPT), for the agent who accepts. */
  waiting?: { text: string; at: Date }[];
  /** Messages relayed either way while active. */
  messages: number;
  timeoutJobId?: string;
}

export type NewHandoff = Omit<Handoff, 'status' | 'openSlot' | 'messages'>;

const OPEN: HandoffStatus[] = ['queued', 'active'];
/** How many messages written while queued are kept, and how much of each. */
export const WAITING_KEPT = 20;
const WAITING_CHARS = 1000;

export class HandoffRepo {
  private readonly col: Collection<Handoff>;
  constructor(db: Db) {
    this.col = db.collection<Handoff>('handoffs');
  }

  async ensureIndexes(): Promise<void> {
    await this.col.createIndexes([
      { key: { workspaceId: 1, openSlot: 1 }, name: 'handoffs_open_slot_unique', unique: true },
      { key: { workspaceId: 1, status: 1, requestedAt: 1 }, name: 'handoffs_status' },
      { key: { workspaceId: 1, 'agent.channelId': 1, 'agent.userId': 1, status: 1 }, name: 'handoffs_agent' },
      { key: { workspaceId: 1, contactId: 1, status: 1 }, name: 'handoffs_contact' },
      // The agents' /inbox: left messages, newest first.
      { key: { workspaceId: 1, 'leftMessage.at': -1 }, name: 'handoffs_inbox' },
    ]);
  }

  newId(): string {
    return new ObjectId().toHexString();
  }

  /** Queues a request; when the contact already has an open one, returns that instead. */
  async request(input: NewHandoff): Promise<{ created: boolean; handoff: Handoff }> {
    const doc: Handoff = { ...input, status: 'queued', openSlot: input.contactId, messages: 0 };
    try {
      await this.col.insertOne(doc);
      return { created: true, handoff: doc };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await this.openForContact(input.workspaceId, input.contactId);
      if (!existing) throw err; // closed between our insert and read: rare; the caller's turn fails politely
      return { created: false, handoff: existing };
    }
  }

  get(workspaceId: string, id: string): Promise<Handoff | null> {
    return this.col.findOne({ workspaceId, _id: id });
  }

  openForContact(workspaceId: string, contactId: string): Promise<Handoff | null> {
    return this.col.findOne({ workspaceId, contactId, status: { $in: OPEN } });
  }

  /**
   * What matters for a customer's turn, in one indexed read: their open request if any, else the
   * latest expired one still waiting for a left message, else null.
   */
  async current(workspaceId: string, contactId: string): Promise<Handoff | null> {
    const docs = await this.col
      .find({ workspaceId, contactId, $or: [{ status: { $in: OPEN } }, { awaitingMessage: true }] })
      .toArray();
    const open = docs.find((d) => d.status === 'queued' || d.status === 'active');
    if (open) return open;
    let latest: Handoff | null = null;
    for (const d of docs)
      if (!latest || (d.expiredAt?.getTime() ?? 0) > (latest.expiredAt?.getTime() ?? 0)) latest = d;
    return latest;
  }

  activeForAgent(workspaceId: string, agent: UserRef): Promise<Handoff | null> {
    return this.col.findOne({
      workspaceId,
      'agent.channelId': agent.channelId,
      'agent.userId': agent.userId,
      status: 'active',
    });
  }

  /** Every queued request, unordered: `orderQueue` decides the order. */
  queued(workspaceId: string): Promise<Handoff[]> {
    return this.col.find({ workspaceId, status: 'queued' }).toArray();
  }

  /** queued → active for this agent; null when someone (or the timeout) came first. */
  accept(workspaceId: string, id: string, agent: UserRef, at: Date): Promise<Handoff | null> {
    return this.col.findOneAndUpdate(
      { workspaceId, _id: id, status: 'queued' },
      { $set: { status: 'active', agent, acceptedAt: at } },
      { returnDocument: 'after' },
    );
  }

  /** queued or active → ended; null when it was no longer open. */
  end(workspaceId: string, id: string, by: 'agent' | 'customer', at: Date): Promise<Handoff | null> {
    return this.col.findOneAndUpdate(
      { workspaceId, _id: id, status: { $in: OPEN } },
      { $set: { status: 'ended', endedAt: at, endedBy: by, openSlot: `closed:${id}` } },
      { returnDocument: 'after' },
    );
  }

  /** queued → expired, awaiting a left message; null when it was accepted or ended first. */
  expire(workspaceId: string, id: string, at: Date): Promise<Handoff | null> {
    return this.col.findOneAndUpdate(
      { workspaceId, _id: id, status: 'queued' },
      { $set: { status: 'expired', expiredAt: at, awaitingMessage: true, openSlot: `closed:${id}` } },
      { returnDocument: 'after' },
    );
  }

  /** Keeps a queued customer's message for the agent; false when it is no longer queued. */
  async noteWaiting(workspaceId: string, id: string, text: string, at: Date): Promise<boolean> {
    const r = await this.col.updateOne(
      { workspaceId, _id: id, status: 'queued' },
      { $push: { waiting: { $each: [{ text: text.slice(0, WAITING_CHARS), at }], $slice: -WAITING_KEPT } } },
    );
    return r.modifiedCount === 1;
  }

  async countMessage(workspaceId: string, id: string): Promise<void> {
    await this.col.updateOne({ workspaceId, _id: id }, { $inc: { messages: 1 } });
  }

  /** Stores the left message once (a second, concurrent one finds the flag already cleared). */
  async leaveMessage(workspaceId: string, id: string, text: string, at: Date): Promise<boolean> {
    const r = await this.col.updateOne(
      { workspaceId, _id: id, awaitingMessage: true },
      { $set: { awaitingMessage: false, leftMessage: { text, at } } },
    );
    return r.modifiedCount === 1;
  }

  /** The newest left messages (the agents' `/inbox`). */
  inbox(workspaceId: string, limit: number): Promise<Handoff[]> {
    return this.col
      .find({ workspaceId, 'leftMessage.at': { $exists: true } })
      .sort({ 'leftMessage.at': -1 })
      .limit(limit)
      .toArray();
  }

  /** The customer moved on (asked again or declined): stop treating their next message as left. */
  async stopAwaiting(workspaceId: string, contactId: string): Promise<void> {
    await this.col.updateMany(
      { workspaceId, contactId, status: 'expired', awaitingMessage: true },
      { $set: { awaitingMessage: false } },
    );
  }
}
