/**
 * Events on the real database: each type's trait effect, replays, late and out-of-order events,
 * counters that never go negative, per-item errors (exactly-once races: exactly-once.test.ts).
 */
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
const WS = 'ev';

function services(db: TestDb['db'], l: RecordingListener) {
  const repo = new MongoContactRepo(db);
  return {
    events: new EventService({ events: new MongoEventRepo(db), contacts: repo, listener: l }),
    contacts: new ContactService({ repo, listener: l }),
  };
}

beforeAll(async () => {
  t = await openTestDb('events');
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

test('every type has its trait effect', async () => {
  const c = await newContact();
  const r = await events.ingest(WS, [
    one(c._id, 'purchase', { amount: 100, currency: 'EUR' }, '2024-03-01T00:00:00Z'),
    one(c._id, 'purchase', { amount: 50.5, currency: 'usd' }, '2024-04-01T00:00:00Z'),
    one(c._id, 'refund', { amount: 20 }),
    one(c._id, 'conversation', undefined, '2024-05-01T00:00:00Z'),
    one(c._id, 'ticket.opened'),
    one(c._id, 'ticket.opened'),
    one(c._id, 'ticket.closed'),
    one(c._id, 'deal.opened'),
    one(c._id, 'deal.opened'),
    one(c._id, 'deal.closed', { won: true }),
    one(c._id, 'lead_score.set', { score: 77 }, '2024-05-02T00:00:00Z'),
    one(c._id, 'custom', { name: 'clicked', 'weird.key': { $gt: 1 } }),
  ]);
  expect(r.map((x) => x.status)).toEqual(Array(12).fill('applied'));
  expect(await contacts.get(WS, c._id)).toMatchObject({
    lifetimeValue: 130.5,
    purchaseCount: 2,
    lastPurchaseAt: new Date('2024-04-01T00:00:00Z'),
    conversationCount: 1,
    lastConversationAt: new Date('2024-05-01T00:00:00Z'),
    supportTickets: 1,
    totalTickets: 2,
    openDeals: 1,
    leadScore: 77,
    leadScoreAt: new Date('2024-05-02T00:00:00Z'),
  });
  // The custom payload is kept as JSON text: its keys never become Mongo keys.
  const stored = await t.db.collection('events').findOne({ workspaceId: WS, type: 'custom' });
  expect(JSON.parse(String(stored?.dataJson))).toEqual({ name: 'clicked', 'weird.key': { $gt: 1 } });
  expect(listener.for(c._id).filter((x) => x.cause === 'event')).toHaveLength(11);
});

test('a replayed event changes nothing and calls the listener once', async () => {
  const c = await newContact();
  const e = one(c._id, 'purchase', { amount: 10, currency: 'EUR' });
  expect(await events.ingest(WS, [e])).toEqual([{ eventId: e.eventId, status: 'applied' }]);
  const after = await contacts.get(WS, c._id);
  expect(await events.ingest(WS, [e, e])).toEqual([
    { eventId: e.eventId, status: 'duplicate' },
    { eventId: e.eventId, status: 'duplicate' },
  ]);
  expect(await contacts.get(WS, c._id)).toEqual(after);
  expect(listener.for(c._id).filter((x) => x.cause === 'event')).toHaveLength(1);
});

test('a late purchase never moves lastPurchaseAt back; an older lead score never wins', async () => {
  const c = await newContact();
  await events.ingest(WS, [
    one(c._id, 'purchase', { amount: 1, currency: 'EUR' }, '2024-06-01T00:00:00Z'),
    one(c._id, 'purchase', { amount: 1, currency: 'EUR' }, '2024-01-01T00:00:00Z'),
    one(c._id, 'lead_score.set', { score: 90 }, '2024-06-01T00:00:00Z'),
    one(c._id, 'lead_score.set', { score: 10 }, '2024-01-01T00:00:00Z'),
  ]);
  const got = await contacts.get(WS, c._id);
  expect(got).toMatchObject({
    purchaseCount: 2,
    lastPurchaseAt: new Date('2024-06-01T00:00:00Z'),
    leadScore: 90,
  });
  // The older score's event is still recorded as applied (and stays a duplicate on replay).
  expect(await t.db.collection('events').countDocuments({ workspaceId: WS, status: 'pending' })).toBe(0);
  await events.ingest(WS, [one(c._id, 'lead_score.set', { score: 30 }, '2024-07-01T00:00:00Z')]);
  expect((await contacts.get(WS, c._id)).leadScore).toBe(30);
});

test('ticket and deal counters never go below zero', async () => {
  const c = await newContact();
  const r = await events.ingest(WS, [one(c._id, 'ticket.closed'), one(c._id, 'deal.closed', { won: false })]);
  expect(r.map((x) => x.status)).toEqual(['applied', 'applied']);
  await events.ingest(WS, [
    one(c._id, 'ticket.opened'),
    one(c._id, 'ticket.closed'),
    one(c._id, 'ticket.closed'),
  ]);
  expect(await contacts.get(WS, c._id)).toMatchObject({ supportTickets: 0, totalTickets: 1, openDeals: 0 });
});

test('invalid items get per-item errors at their field; unknown contacts are invalid', async () => {
  const c = await newContact();
  const r = await events.ingest(WS, [
    one(c._id, 'purchase', { amount: -1, currency: 'EUR' }),
    one(c._id, 'purchase', { amount: 1, currency: 'EURO' }),
    one(c._id, 'lead_score.set', { score: 101 }),
    one(c._id, 'purchase', { amount: { $gt: 0 }, currency: 'EUR' }),
    { eventId: 'x1', type: 'nope', contactId: c._id },
    { eventId: 'x2', type: 'conversation' },
    one('000000000000000000000000', 'conversation'),
    { ...one(c._id, 'conversation'), at: 'yesterday' },
  ]);
  expect(r.map((x) => x.status)).toEqual(Array(8).fill('invalid'));
  expect(r.map((x) => x.error?.details?.path ?? x.error?.code)).toEqual([
    'data.amount',
    'data.currency',
    'data.score',
    'data.amount',
    'type',
    'contactId',
    'NOT_FOUND',
    'at',
  ]);
  await expect(events.ingest(WS, Array(1001).fill({}))).rejects.toMatchObject({
    code: 'BATCH_TOO_LARGE',
    status: 400,
  });
});

test('recordConversation: direct, and idempotent with an activity id; contacts resolve by externalId/email', async () => {
  const { contact: c } = await contacts.upsert(WS, { externalId: 'bot-1', email: 'bot@x.io' });
  await events.recordConversation(WS, c._id, new Date('2024-02-01T00:00:00Z'));
  await events.recordConversation(WS, c._id, new Date('2024-03-01T00:00:00Z'), 'act-1');
  await events.recordConversation(WS, c._id, new Date('2024-03-01T00:00:00Z'), 'act-1');
  await events.ingest(WS, [
    { eventId: eid(), type: 'conversation', externalId: 'bot-1', at: '2024-01-01T00:00:00Z' },
  ]);
  await events.ingest(WS, [{ eventId: eid(), type: 'ticket.opened', email: 'BOT@x.io' }]);
  expect(await contacts.get(WS, c._id)).toMatchObject({
    conversationCount: 3,
    lastConversationAt: new Date('2024-03-01T00:00:00Z'),
    totalTickets: 1,
  });
});
