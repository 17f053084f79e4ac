/**
 * Exactly once without transactions: two processes racing one event, and a crash between
 * inserting an event and applying it (replay and the recovery sweep).
 */
import { MongoClient } from 'mongodb';
import { MongoContactRepo } from '../../../src/infra/repos/contacts';
import { MongoEventRepo } from '../../../src/infra/repos/events';
import { eventServices, useEventsHarness } from '../../support/eventsHarness';
import { RecordingListener } from '../../support/recordingListener';

const WS = 'ev1';
const h = useEventsHarness('events_once', WS);

test('two processes racing the same event apply it once', async () => {
  const c = await h.newContact();
  const clients = await Promise.all([MongoClient.connect(h.t.uri), MongoClient.connect(h.t.uri)]);
  try {
    const [a, b] = clients.map((cl) => eventServices(cl.db(h.t.dbName), new RecordingListener()).events);
    for (let i = 0; i < 10; i++) {
      const e = h.one(c._id, 'purchase', { amount: 1, currency: 'EUR' });
      const [ra, rb] = await Promise.all([a!.ingest(WS, [e]), b!.ingest(WS, [e])]);
      expect([ra[0]!.status, rb[0]!.status].sort()).toEqual(['applied', 'duplicate']);
    }
  } finally {
    await Promise.all(clients.map((cl) => cl.close()));
  }
  expect(await h.contacts.get(WS, c._id)).toMatchObject({ lifetimeValue: 10, purchaseCount: 10 });
});

test('a crash between insert and apply: replay (and the sweep) apply exactly once', async () => {
  const c = await h.newContact();
  const eventRepo = new MongoEventRepo(h.t.db);
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
  expect(await h.events.ingest(WS, [replay])).toEqual([{ eventId: 'crash-1', status: 'applied' }]);
  expect(await h.events.ingest(WS, [replay])).toEqual([{ eventId: 'crash-1', status: 'duplicate' }]);
  // Crash after apply but before "applied" was recorded: the guard keeps the traits from doubling.
  await eventRepo.insert(pending('crash-2'));
  await new MongoContactRepo(h.t.db).applyEvent(
    WS,
    c._id,
    'crash-2',
    { inc: { lifetimeValue: 5, purchaseCount: 1 } },
    at,
  );
  await eventRepo.insert(pending('crash-3'));
  expect(await h.events.applyPendingEvents(30_000)).toBe(1);
  expect(await h.events.applyPendingEvents(30_000)).toBe(0);
  expect(await h.contacts.get(WS, c._id)).toMatchObject({ lifetimeValue: 15, purchaseCount: 3 });
  expect(await h.t.db.collection('events').countDocuments({ workspaceId: WS, status: 'pending' })).toBe(0);
});
