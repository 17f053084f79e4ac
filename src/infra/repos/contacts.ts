/**
 * ContactRepo on the native driver (`contacts` collection). Plain objects in and out; every
 * filter carries `workspaceId`. Uniqueness: see contactKeys.ts.
 */
import { ObjectId, type Collection, type Db, type Document } from 'mongodb';
import {
  evaluateBy,
  type ApplyOutcome,
  type ContactFields,
  type ContactFilter,
  type ContactRepo,
  type TraitChange,
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
import { applyLedgerEvent } from './ledgerEvents';
import { conflictFrom, isDuplicateKey, refusedAsDuplicates } from './mongoErrors';

type ContactDoc = Contact & ContactKeys & { appliedEventIds?: string[]; writeToken?: string };

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
      // Never evaluated yet: due for the sweeper unless the engine gets there first.
      nextRecheckAt: evaluateBy(contact.updatedAt),
    };
    await this.col.insertOne(doc).catch((err: unknown) => conflictFrom(err, 'contact', UNIQUE_INDEX_FIELDS));
  }

  findById(workspaceId: string, id: string): Promise<Contact | null> {
    return this.one({ workspaceId, _id: id });
  }

  findByIds(workspaceId: string, ids: string[]): Promise<Contact[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.col.find({ workspaceId, _id: { $in: ids } }, { projection: HIDDEN }).toArray();
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
    const update = updateOf(workspaceId, fields, now);
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

  /** Contacts holding any of these externalIds or emails (two unique-index lookups). */
  async findByKeys(workspaceId: string, externalIds: string[], emails: string[]): Promise<Contact[]> {
    const [byExternal, byEmail] = await Promise.all([
      externalIds.length
        ? this.col
            .find(
              { externalIdKey: { $in: externalIds.map((e) => key(workspaceId, e)) } },
              { projection: HIDDEN },
            )
            .toArray()
        : [],
      emails.length
        ? this.col
            .find(
              { emailKey: { $in: emails.map((e) => key(workspaceId, e.toLowerCase())) } },
              { projection: HIDDEN },
            )
            .toArray()
        : [],
    ]);
    return [...byExternal, ...byEmail];
  }

  /** Inserts many new contacts unordered; returns the indexes refused as duplicates (taken keys). */
  async insertMany(contacts: Contact[], opts: { evaluated?: boolean } = {}): Promise<Set<number>> {
    if (contacts.length === 0) return new Set();
    const docs = contacts.map((c) => ({
      ...withoutUndefined(c),
      ...withoutUndefined(keysOf(c.workspaceId, c)),
      // Contacts evaluated before their insert (the engine's createMany) bring their own.
      nextRecheckAt: opts.evaluated ? c.nextRecheckAt : evaluateBy(c.updatedAt),
    }));
    try {
      await this.col.insertMany(docs, { ordered: false });
      return new Set();
    } catch (err) {
      return refusedAsDuplicates(err);
    }
  }

  /**
   * Version-guarded updates in one unordered bulk write; returns the ids whose update did NOT
   * apply (the contact moved on: the caller redoes those one by one). A per-batch token on the
   * contact proves which writes applied, since bulk results do not say per item.
   */
  async updateMany(
    workspaceId: string,
    updates: { id: string; version: number; fields: ContactFields }[],
    now: Date,
  ): Promise<Set<string>> {
    if (updates.length === 0) return new Set();
    const token = new ObjectId().toHexString();
    const ops = updates.map((u) => {
      const update = updateOf(workspaceId, u.fields, now);
      return {
        updateOne: {
          filter: { workspaceId, _id: u.id, version: u.version },
          update: { ...update, $set: { ...update.$set, writeToken: token } },
        },
      };
    });
    let matched = 0;
    try {
      matched = (await this.col.bulkWrite(ops, { ordered: false })).matchedCount;
    } catch (err) {
      const raw: unknown = (err as { writeErrors?: unknown }).writeErrors;
      const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
      if (list.length === 0 || !list.every(isDuplicateKey)) throw err;
    }
    if (matched === updates.length) return new Set();
    const ids = updates.map((u) => u.id);
    const applied = await this.raw
      .find({ workspaceId, _id: { $in: ids }, writeToken: token }, { projection: { _id: 1 } })
      .toArray();
    const ok = new Set(applied.map((d) => d._id));
    return new Set(ids.filter((id) => !ok.has(id)));
  }

  async delete(workspaceId: string, id: string, version?: number): Promise<boolean> {
    const r = await this.col.deleteOne({
      workspaceId,
      _id: id,
      ...(version === undefined ? {} : { version }),
    });
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
    if (change.entity) return applyLedgerEvent(this.raw, workspaceId, id, eventId, change.entity, now);
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

/** The update for `fields` (absent optional ones and their keys unset), plus the re-evaluation marker. */
function updateOf(workspaceId: string, fields: ContactFields, now: Date) {
  const keys = keysOf(workspaceId, fields);
  const all: Record<string, unknown> = { ...fields, ...keys };
  const $set: Document = { updatedAt: now, nextRecheckAt: evaluateBy(now) };
  const $unset: Document = {};
  for (const [k, v] of Object.entries(all)) {
    if (v !== undefined) $set[k] = v;
    else if ((OPTIONAL as string[]).includes(k) || k in keys) $unset[k] = '';
  }
  return { $set, $inc: { version: 1 }, ...(Object.keys($unset).length ? { $unset } : {}) };
}

/** The driver would store `undefined` as null (or drop it, per option): drop it explicitly. */
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
