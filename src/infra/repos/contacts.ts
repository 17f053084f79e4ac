/**
 * ContactRepo on the native driver (`contacts` collection). Plain objects in and out; every
 * filter carries `workspaceId`. Uniqueness: see contactKeys.ts.
 */
import { ObjectId, type Collection, type Db, type Document } from 'mongodb';
import type {
  ApplyOutcome,
  ContactFields,
  ContactFilter,
  ContactRepo,
  TraitChange,
} from '../../domain/contacts/repo';
import type { ChannelIdentity, Contact } from '../../domain/contacts/types';
import {
  ensureContactIndexes,
  HIDDEN,
  identityKey,
  key,
  keysOf,
  UNIQUE_INDEX_FIELDS,
  type ContactKeys,
} from './contactKeys';
import { ensureLookupIndexes, lookupFilter } from './contactLookup';
import { traitUpdate } from './contactTraits';
import { conflictFrom } from './mongoErrors';

type ContactDoc = Contact & ContactKeys & { appliedEventIds?: string[] };

const OPTIONAL: (keyof ContactFields)[] = [
  'externalId',
  'email',
  'emailDomain',
  'phone',
  'leadScore',
  'leadScoreAt',
];

export class MongoContactRepo implements ContactRepo {
  private readonly col: Collection<ContactDoc>;
  /** Untyped view for updates built as plain documents (contactTraits.ts). */
  private readonly raw: Collection<{ _id: string; [field: string]: unknown }>;
  constructor(db: Db) {
    this.col = db.collection<ContactDoc>('contacts');
    this.raw = db.collection('contacts');
  }

  /** Unique keys and the pagination index; idempotent, run at start-up. */
  static async ensureIndexes(db: Db): Promise<void> {
    await ensureContactIndexes(db);
    await ensureLookupIndexes(db);
  }

  newId(): string {
    return new ObjectId().toHexString();
  }

  async insert(contact: Contact): Promise<void> {
    const doc: ContactDoc = {
      ...withoutUndefined(contact),
      ...withoutUndefined(keysOf(contact.workspaceId, contact)),
    };
    await this.col.insertOne(doc).catch((err: unknown) => conflictFrom(err, 'contact', UNIQUE_INDEX_FIELDS));
  }

  findById(workspaceId: string, id: string): Promise<Contact | null> {
    return this.one({ workspaceId, _id: id });
  }

  findByExternalId(workspaceId: string, externalId: string): Promise<Contact | null> {
    return this.one({ workspaceId, externalIdKey: key(workspaceId, externalId) });
  }

  findByEmail(workspaceId: string, email: string): Promise<Contact | null> {
    return this.one({ workspaceId, emailKey: key(workspaceId, email.toLowerCase()) });
  }

  findByIdentity(workspaceId: string, identity: ChannelIdentity): Promise<Contact | null> {
    return this.one({ workspaceId, identityKeys: identityKey(workspaceId, identity) });
  }

  async update(
    workspaceId: string,
    id: string,
    expectedVersion: number,
    fields: ContactFields,
    now: Date,
  ): Promise<Contact | null> {
    const keys = keysOf(workspaceId, fields);
    const all: Record<string, unknown> = { ...fields, ...keys };
    const $set: Document = { updatedAt: now };
    const $unset: Document = {};
    for (const [k, v] of Object.entries(all)) {
      if (v !== undefined) $set[k] = v;
      else if ((OPTIONAL as string[]).includes(k) || k in keys) $unset[k] = '';
    }
    const update = { $set, $inc: { version: 1 }, ...(Object.keys($unset).length ? { $unset } : {}) };
    try {
      const doc = await this.col.findOneAndUpdate(
        { workspaceId, _id: id, version: expectedVersion },
        update,
        {
          returnDocument: 'after',
          projection: HIDDEN,
        },
      );
      return doc;
    } catch (err) {
      return conflictFrom(err, 'contact', UNIQUE_INDEX_FIELDS);
    }
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const r = await this.col.deleteOne({ workspaceId, _id: id });
    return r.deletedCount === 1;
  }

  list(
    workspaceId: string,
    afterId: string | undefined,
    limit: number,
    filter?: ContactFilter,
  ): Promise<Contact[]> {
    const q = lookupFilter(workspaceId, afterId, filter);
    return this.col.find(q, { projection: HIDDEN }).sort({ _id: 1 }).limit(limit).toArray();
  }

  async applyEvent(
    workspaceId: string,
    id: string,
    eventId: string,
    change: TraitChange,
    now: Date,
  ): Promise<ApplyOutcome> {
    // The guard makes this update happen at most once per event id, even when two processes race.
    const guard = { workspaceId, _id: id, appliedEventIds: { $ne: eventId } };
    const u = traitUpdate(change, now, eventId);
    if ((await this.raw.updateOne({ ...guard, ...u.condition }, u.update)).matchedCount === 1)
      return 'applied';
    if (change.requires && (await this.raw.updateOne(guard, u.recordOnly)).matchedCount === 1)
      return 'recorded';
    return (await this.col.countDocuments({ workspaceId, _id: id }, { limit: 1 })) ? 'already' : 'missing';
  }

  async applyTraits(workspaceId: string, id: string, change: TraitChange, now: Date): Promise<boolean> {
    const u = traitUpdate(change, now);
    const r = await this.raw.updateOne({ workspaceId, _id: id, ...u.condition }, u.update);
    return r.matchedCount === 1;
  }

  private one(filter: Document): Promise<Contact | null> {
    return this.col.findOne(filter, { projection: HIDDEN });
  }
}

/** The driver would store `undefined` as null (or drop it, per option): drop it explicitly. */
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
