/**
 * The import benchmark's floor: the three writes a crash-safe import makes, with the documents it
 * actually wrote, done again in bulk (chunks of 1,000) by a bare loop into a fresh database with
 * the same indexes: no HTTP, no validation, no evaluation. The contacts go in with their outbox
 * and its lease, then their transitions, then the outboxes are released, as the engine's
 * `createMany` does. What the embedded database alone costs per imported contact.
 */
import { performance } from 'node:perf_hooks';
import type { AnyBulkWriteOperation, Db } from 'mongodb';
import type { Transition } from '../../src/domain/membership/transitions';
import {
  membershipCollections,
  ensureMembershipIndexes,
  type ContactDoc,
} from '../../src/infra/membership/store';
import { MongoContactRepo } from '../../src/infra/repos/contacts';

const CHUNK = 1000;

export interface ImportFloor {
  contacts: number;
  transitions: number;
  /** Milliseconds for all of them. */
  insertContacts: number;
  insertTransitions: number;
  release: number;
  perSecond: number;
}

/** Replays the writes of the contacts `source` holds whose externalId starts with `prefix`. */
export async function importWriteFloor(source: Db, target: Db, prefix: string): Promise<ImportFloor> {
  const from = membershipCollections(source);
  const to = membershipCollections(target);
  await MongoContactRepo.ensureIndexes(target);
  await ensureMembershipIndexes(to);
  const docs = (await from.contacts.find({}).toArray()).filter((d) => d.externalId?.startsWith(prefix));
  const ids = new Set(docs.map((d) => d._id));
  const byContact = new Map<string, Transition[]>();
  for (const t of await from.transitions.find({}).toArray()) {
    if (!ids.has(t.contactId)) continue;
    byContact.set(t.contactId, [...(byContact.get(t.contactId) ?? []), t]);
  }
  const lease = { flushLockBy: 'floor', flushLockUntil: new Date(Date.now() + 600_000) };
  let insertContacts = 0;
  let insertTransitions = 0;
  let release = 0;
  let transitions = 0;
  for (let i = 0; i < docs.length; i += CHUNK) {
    const chunk = docs.slice(i, i + CHUNK);
    const outboxes = chunk.map((d) => byContact.get(d._id) ?? []);
    const withOutbox: ContactDoc[] = chunk.map((d, k) => ({
      ...d,
      ...lease,
      pendingTransitions: outboxes[k]!.map(({ _id: _key, position: _position, ...pending }) => pending),
    }));
    let t0 = performance.now();
    await to.contacts.insertMany(withOutbox, { ordered: false });
    insertContacts += performance.now() - t0;
    const records = outboxes.flat();
    transitions += records.length;
    t0 = performance.now();
    if (records.length > 0) await to.transitions.insertMany(records, { ordered: false });
    insertTransitions += performance.now() - t0;
    const releases: AnyBulkWriteOperation<ContactDoc>[] = chunk.map((d, k) => ({
      updateOne: {
        filter: { _id: d._id, workspaceId: d.workspaceId, flushLockBy: 'floor' },
        update: {
          $pull: { pendingTransitions: { seq: { $in: outboxes[k]!.map((t) => t.seq) } } },
          $set: { flushLockUntil: null },
          $unset: { flushLockBy: '' },
        },
      },
    }));
    t0 = performance.now();
    await to.contacts.bulkWrite(releases, { ordered: false });
    release += performance.now() - t0;
  }
  const total = insertContacts + insertTransitions + release;
  return {
    contacts: docs.length,
    transitions,
    insertContacts,
    insertTransitions,
    release,
    perSecond: (docs.length * 1000) / total,
  };
}
