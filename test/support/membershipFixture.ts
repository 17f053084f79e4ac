/**
 * A membership engine on a fresh test database with a movable clock, plus helpers to write
 * contacts straight into the collection (the contact service is tested on its own).
 */
import { ObjectId } from 'mongodb';
import pino from 'pino';
import { ZERO_TRAITS, type Contact } from '../../src/domain/contacts/types';
import type { Transition } from '../../src/domain/membership/transitions';
import { SegmentService } from '../../src/domain/segments/service';
import { Membership, type MembershipOptions } from '../../src/infra/membership';
import type { ContactDoc } from '../../src/infra/membership/store';
import { SegmentRepo } from '../../src/infra/repos/segments';
import { openTestDb, type TestDb } from './db';

export const WS = 'ws1';
export const DAY = 86_400_000;

export interface Fixture {
  t: TestDb;
  clock: { offsetMs: number; now: () => Date };
  repo: SegmentRepo;
  membership: Membership;
  segments: SegmentService;
  insertContact(partial: Partial<Contact>): Promise<ContactDoc>;
  updateContact(id: string, set: Partial<Contact>, cause?: 'contact' | 'event'): Promise<void>;
  memberIds(segmentId: string): Promise<string[]>;
  transitions(filter?: Partial<Transition>): Promise<Transition[]>;
  /** Runs pending rebuilds to the end, as the rebuild loop would. */
  rebuildAll(): Promise<void>;
  close(): Promise<void>;
}

/** A contact document as the engine stores it: no traits, no memberships, `partial` on top. */
export function contactDoc(now: Date, partial: Partial<ContactDoc> = {}): ContactDoc {
  return {
    _id: new ObjectId().toHexString(),
    workspaceId: WS,
    name: 'Someone',
    createdAt: now,
    updatedAt: now,
    tags: [],
    custom: {},
    optedOut: false,
    identities: [],
    segments: [],
    nextRecheckAt: null,
    version: 1,
    ...ZERO_TRAITS,
    ...partial,
  };
}

export async function membershipFixture(opts: MembershipOptions = {}): Promise<Fixture> {
  const t = await openTestDb('mem');
  const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
  const repo = new SegmentRepo(t.db);
  await repo.ensureIndexes();
  const membership = new Membership(t.db, repo, pino({ level: 'silent' }), {
    clock: () => clock.now(),
    ...opts,
  });
  await membership.ensureIndexes();
  const segments = new SegmentService({
    store: repo,
    now: () => clock.now(),
    definitionChanged: (ws, id) => membership.rebuilder.request(ws, id),
  });
  const contacts = membership.collections.contacts;
  const rebuildAll = async () => {
    while ((await membership.rebuilder.runOnce()) > 0 || (await membership.rebuilder.pending()) > 0) {
      // keep going until no rebuild is pending
    }
  };
  return {
    t,
    clock,
    repo,
    membership,
    segments,
    rebuildAll,
    async insertContact(partial) {
      const doc = contactDoc(clock.now(), partial);
      await contacts.insertOne(doc);
      await membership.engine.evaluate(doc.workspaceId, doc._id, 'contact');
      return doc;
    },
    async updateContact(id, set, cause = 'contact') {
      await contacts.updateOne({ _id: id, workspaceId: WS }, { $set: set, $inc: { version: 1 } });
      await membership.engine.contactChanged(WS, id, cause);
    },
    async memberIds(segmentId) {
      const docs = await contacts
        .find({ workspaceId: WS, 'segments.segmentId': segmentId })
        .project({ _id: 1 })
        .toArray();
      return docs.map((d) => String(d._id)).sort();
    },
    transitions: (filter = {}) =>
      membership.collections.transitions
        .find({ workspaceId: WS, ...filter })
        .sort({ position: 1 })
        .toArray(),
    async close() {
      await membership.stop();
      await t.close();
    },
  };
}
