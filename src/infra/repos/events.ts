/** EventRepo on the native driver (`events` collection); unique `{workspaceId, eventId}`. */
import { ObjectId, type Collection, type Db } from 'mongodb';
import type { EventRepo, StoredEvent } from '../../domain/events/types';
import { isDuplicateKey, refusedAsDuplicates } from './mongoErrors';

export class MongoEventRepo implements EventRepo {
  private readonly col: Collection<StoredEvent>;
  constructor(db: Db) {
    this.col = db.collection<StoredEvent>('events');
  }

  /** Idempotency by eventId; the sweep finds pending ones by age. */
  static async ensureIndexes(db: Db): Promise<void> {
    await db.collection('events').createIndexes([
      { key: { workspaceId: 1, eventId: 1 }, name: 'events_eventId_unique', unique: true },
      { key: { status: 1, receivedAt: 1 }, name: 'events_status_received' },
      { key: { workspaceId: 1, contactId: 1, at: -1 }, name: 'events_contact_at' },
    ]);
  }

  newId(): string {
    return new ObjectId().toHexString();
  }

  async insert(event: StoredEvent): Promise<'inserted' | 'duplicate'> {
    try {
      await this.col.insertOne(event);
      return 'inserted';
    } catch (err) {
      if (isDuplicateKey(err)) return 'duplicate';
      throw err;
    }
  }

  async insertMany(events: StoredEvent[]): Promise<('inserted' | 'duplicate')[]> {
    if (events.length === 0) return [];
    let refused = new Set<number>();
    try {
      await this.col.insertMany(events, { ordered: false });
    } catch (err) {
      refused = refusedAsDuplicates(err);
    }
    return events.map((_, i) => (refused.has(i) ? 'duplicate' : 'inserted'));
  }

  find(workspaceId: string, eventId: string): Promise<StoredEvent | null> {
    return this.col.findOne({ workspaceId, eventId });
  }

  async markApplied(workspaceId: string, eventId: string, now: Date): Promise<void> {
    await this.col.updateOne(
      { workspaceId, eventId, status: 'pending' },
      { $set: { status: 'applied', appliedAt: now } },
    );
  }

  async markAppliedMany(workspaceId: string, eventIds: string[], now: Date): Promise<void> {
    if (eventIds.length === 0) return;
    await this.col.updateMany(
      { workspaceId, eventId: { $in: eventIds }, status: 'pending' },
      { $set: { status: 'applied', appliedAt: now } },
    );
  }

  async markFailed(workspaceId: string, eventId: string, error: string, now: Date): Promise<void> {
    await this.col.updateOne(
      { workspaceId, eventId, status: 'pending' },
      { $set: { status: 'failed', error, appliedAt: now } },
    );
  }

  findPending(before: Date, limit: number): Promise<StoredEvent[]> {
    return this.col
      .find({ status: 'pending', receivedAt: { $lt: before } })
      .sort({ receivedAt: 1 })
      .limit(limit)
      .toArray();
  }
}
