/**
 * Exactly once without transactions: two processes racing one event, and a crash between
 * inserting an event and applying it (replay and the recovery sweep).
 */
import { MongoClient } from 'mongodb';
import { ContactService } from '../../../src/domain/contacts/service';
import type { Contact } from '../../../src/domain/contacts/types';
import { EventService } from '../../../src/domain/events/service';
import { MongoContactRepo } from '../../../src/infra/repos/contacts';
import { MongoEventRepo } from '../../../src/infra/repos/events';
import { openTestDb, type TestDb } from '../../support/db';
import { RecordingListener } from '../../support/recordingListener';

let t: TestDb;
let listener: RecordingListener;
let events: EventService;
let contacts: ContactService;
const WS = 'ev1';

function services(db: TestDb['db'], l: RecordingListener) {
  const repo = new MongoContactRepo(db);
  return {
    events: new EventService({ events: new MongoEventRepo(db), contacts: repo, listener: l }),
    contacts: new ContactService({ repo, listener: l }),
  };
}

beforeAll(async () => {
  t = await openTestDb('events_once');
  await Promise.all([MongoContactRepo.ensureIndexes(t.db), MongoEventRepo.ensureIndexes(t.db)]);
});
beforeEach(() => {
  listener = new RecordingListener();
  ({ events, contacts } = services(t.db, listener));
});
afterAll(() => t.close());

let seq = 0;
const eid = () => `e-${++seq}`;
const newContact = async (): Promise<Contact> => (await contacts.upsert(WS, {})).contact;
const one = (contactId: string, type: string, data?: object, at?: string) => ({
  eventId: eid(),
  type,
  contactId,
  ...(data ? { data } : {}),
  ...(at ? { at } : {}),
});

test('two processes racing the same event apply it once', async () => {
  const c = await newContact();
  const clients = await Promise.all([MongoClient.connect(t.uri), MongoClient.connect(t.uri)]);
  try {
    const [a, b] = clients.map((cl) => services(cl.db(t.dbName), new RecordingListener()).events);
    for (let i = 0; i < 10; i++) {
      const e = one(c._id, 'purchase', { amount: 1, currency: 'EUR' });
      const [ra, rb] = await Promise.all([a!.ingest(WS, [e]), b!.ingest(WS, [e])]);
      expect([ra[0]!.status, rb[0]!.status].sort()).toEqual(['applied', 'duplicate']);
    }
  } finally {
    await Promise.all(clients.map((cl) => cl.close()));
  }
  expect(await contacts.get(WS, c._id)).toMatchObject({ lifetimeValue: 10, purchaseCount: 10 });
});

test('a crash between insert and apply: replay (and the sweep) apply exactly once', async () => {
  const c = await newContact();
  const eventRepo = new MongoEventRepo(t.db);
  const at = new Date();
  // Simulate the crash: the event got stored as pending, nothing else happened.
  const pending = (eventId: string) => ({
    _id: eventRepo.newId(),
    workspaceId: WS,
    eventId,
    type: 'purchase' as const,
    contactId: c._id,
    at,
    data: { amount: 5, currency: 'EUR' },
    status: 'pending' as const,
    receivedAt: new Date(Date.now() - 60_000),
  });
  await eventRepo.insert(pending('crash-1'));
  const replay = {
    eventId: 'crash-1',
    type: 'purchase',
    contactId: c._id,
    data: { amount: 5, currency: 'EUR' },
  };
  expect(await events.ingest(WS, [replay])).toEqual([{ eventId: 'crash-1', status: 'applied' }]);
  expect(await events.ingest(WS, [replay])).toEqual([{ eventId: 'crash-1', status: 'duplicate' }]);
  // Crash after apply but before "applied" was recorded: the guard keeps the traits from doubling.
  await eventRepo.insert(pending('crash-2'));
  await new MongoContactRepo(t.db).applyEvent(
    WS,
    c._id,
    'crash-2',
    { inc: { lifetimeValue: 5, purchaseCount: 1 } },
    at,
  );
  await eventRepo.insert(pending('crash-3'));
  expect(await events.applyPendingEvents(30_000)).toBe(1);
  expect(await events.applyPendingEvents(30_000)).toBe(0);
  expect(await contacts.get(WS, c._id)).toMatchObject({ lifetimeValue: 15, purchaseCount: 3 });
  expect(await t.db.collection('events').countDocuments({ workspaceId: WS, status: 'pending' })).toBe(0);
});
