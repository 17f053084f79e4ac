/**
 * Events on the real database: each type's trait effect, replays, late and out-of-order events,
 * counters that never go negative, per-item errors (exactly-once races: exactly-once.test.ts).
 */
import { EventService } from '../../../src/domain/events/service';
import { MongoContactRepo } from '../../../src/infra/repos/contacts';
import { MongoEventRepo } from '../../../src/infra/repos/events';
import { useEventsHarness } from '../../support/eventsHarness';

const WS = 'ev';
const h = useEventsHarness('events', WS);

test('every type has its trait effect', async () => {
  const c = await h.newContact();
  const r = await h.events.ingest(WS, [
    h.one(c._id, 'purchase', { amount: 100, currency: 'EUR' }, '2024-03-01T00:00:00Z'),
    h.one(c._id, 'purchase', { amount: 50.5, currency: 'usd' }, '2024-04-01T00:00:00Z'),
    h.one(c._id, 'refund', { amount: 20 }),
    h.one(c._id, 'conversation', undefined, '2024-05-01T00:00:00Z'),
    h.one(c._id, 'ticket.opened'),
    h.one(c._id, 'ticket.opened'),
    h.one(c._id, 'ticket.closed'),
    h.one(c._id, 'deal.opened'),
    h.one(c._id, 'deal.opened'),
    h.one(c._id, 'deal.closed', { won: true }),
    h.one(c._id, 'lead_score.set', { score: 77 }, '2024-05-02T00:00:00Z'),
    h.one(c._id, 'custom', { name: 'clicked', 'weird.key': { $gt: 1 } }),
  ]);
  expect(r.map((x) => x.status)).toEqual(Array(12).fill('applied'));
  expect(await h.contacts.get(WS, c._id)).toMatchObject({
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
  const stored = await h.t.db.collection('events').findOne({ workspaceId: WS, type: 'custom' });
  expect(JSON.parse(String(stored?.dataJson))).toEqual({ name: 'clicked', 'weird.key': { $gt: 1 } });
  // The batch's membership is evaluated once per contact, after all of its events.
  expect(h.listener.for(c._id).filter((x) => x.cause === 'event')).toHaveLength(1);
});

test('a batch resolves contacts by id, externalId and email in bulk, answers in order, and evaluates each changed contact once', async () => {
  const a = (await h.contacts.upsert(WS, { externalId: 'batch-a' })).contact;
  const b = (await h.contacts.upsert(WS, { email: 'Batch-B@x.io' })).contact;
  const c = await h.newContact();
  const bulk: { ws: string; ids: string[]; cause: string }[] = [];
  const events = new EventService({
    events: new MongoEventRepo(h.t.db),
    contacts: new MongoContactRepo(h.t.db),
    listener: h.listener,
    bulk: { evaluateMany: async (ws, ids, cause) => void bulk.push({ ws, ids, cause }) },
  });
  const twice = h.one(c._id, 'purchase', { amount: 5, currency: 'EUR' });
  const r = await events.ingest(WS, [
    { eventId: h.eid(), type: 'purchase', externalId: 'batch-a', data: { amount: 10, currency: 'EUR' } },
    { eventId: h.eid(), type: 'purchase', email: 'batch-b@X.io', data: { amount: 20, currency: 'EUR' } },
    twice,
    { eventId: h.eid(), type: 'purchase', externalId: 'nobody', data: { amount: 1, currency: 'EUR' } },
    twice,
    h.one(a._id, 'custom', { name: 'clicked' }),
    { eventId: h.eid(), type: 'refund', externalId: 'batch-a', data: { amount: 4 } },
  ]);
  expect(r.map((x) => x.status)).toEqual([
    'applied',
    'applied',
    'applied',
    'invalid',
    'duplicate',
    'applied',
    'applied',
  ]);
  expect(r[3]?.error?.code).toBe('NOT_FOUND');
  expect((await h.contacts.get(WS, a._id)).lifetimeValue).toBe(6);
  expect((await h.contacts.get(WS, b._id)).lifetimeValue).toBe(20);
  expect((await h.contacts.get(WS, c._id)).lifetimeValue).toBe(5);
  expect(bulk).toEqual([{ ws: WS, ids: [a._id, b._id, c._id], cause: 'event' }]);
  expect(h.listener.calls).toHaveLength(3); // the upserts above, not the events
  const stored = await h.t.db
    .collection('events')
    .find({ workspaceId: WS, eventId: { $in: r.flatMap((x) => (x.eventId ? [x.eventId] : [])) } })
    .toArray();
  expect(stored.map((e) => e.status as string).sort()).toEqual(Array(5).fill('applied')); // the duplicate is stored once, the unknown contact's not at all
});

test('a replayed event changes nothing and calls the listener once', async () => {
  const c = await h.newContact();
  const e = h.one(c._id, 'purchase', { amount: 10, currency: 'EUR' });
  expect(await h.events.ingest(WS, [e])).toEqual([{ eventId: e.eventId, status: 'applied' }]);
  const after = await h.contacts.get(WS, c._id);
  expect(await h.events.ingest(WS, [e, e])).toEqual([
    { eventId: e.eventId, status: 'duplicate' },
    { eventId: e.eventId, status: 'duplicate' },
  ]);
  expect(await h.contacts.get(WS, c._id)).toEqual(after);
  expect(h.listener.for(c._id).filter((x) => x.cause === 'event')).toHaveLength(1);
});

test('a late purchase never moves lastPurchaseAt back; an older lead score never wins', async () => {
  const c = await h.newContact();
  await h.events.ingest(WS, [
    h.one(c._id, 'purchase', { amount: 1, currency: 'EUR' }, '2024-06-01T00:00:00Z'),
    h.one(c._id, 'purchase', { amount: 1, currency: 'EUR' }, '2024-01-01T00:00:00Z'),
    h.one(c._id, 'lead_score.set', { score: 90 }, '2024-06-01T00:00:00Z'),
    h.one(c._id, 'lead_score.set', { score: 10 }, '2024-01-01T00:00:00Z'),
  ]);
  const got = await h.contacts.get(WS, c._id);
  expect(got).toMatchObject({
    purchaseCount: 2,
    lastPurchaseAt: new Date('2024-06-01T00:00:00Z'),
    leadScore: 90,
  });
  // The older score's event is still recorded as applied (and stays a duplicate on replay).
  expect(await h.t.db.collection('events').countDocuments({ workspaceId: WS, status: 'pending' })).toBe(0);
  await h.events.ingest(WS, [h.one(c._id, 'lead_score.set', { score: 30 }, '2024-07-01T00:00:00Z')]);
  expect((await h.contacts.get(WS, c._id)).leadScore).toBe(30);
});

test('ticket and deal counters never go below zero', async () => {
  const c = await h.newContact();
  const r = await h.events.ingest(WS, [
    h.one(c._id, 'ticket.closed'),
    h.one(c._id, 'deal.closed', { won: false }),
  ]);
  expect(r.map((x) => x.status)).toEqual(['applied', 'applied']);
  await h.events.ingest(WS, [
    h.one(c._id, 'ticket.opened'),
    h.one(c._id, 'ticket.closed'),
    h.one(c._id, 'ticket.closed'),
  ]);
  expect(await h.contacts.get(WS, c._id)).toMatchObject({ supportTickets: 0, totalTickets: 1, openDeals: 0 });
});

test('ticket and deal counters do not depend on arrival order (issue 15, fix 2)', async () => {
  const at = (d: number) => `2024-05-0${d}T10:00:00Z`;
  const events = (id: string) => [
    h.one(id, 'ticket.opened', { ticketId: 'T1' }, at(1)),
    h.one(id, 'ticket.closed', { ticketId: 'T1' }, at(2)),
    h.one(id, 'ticket.opened', { ticketId: 'T2' }, at(3)),
    h.one(id, 'deal.opened', { dealId: 'D.1' }, at(1)),
    h.one(id, 'deal.closed', { dealId: 'D.1', won: true }, at(4)),
    h.one(id, 'deal.opened', { dealId: '$D2' }, at(2)),
  ];
  const orders = [
    [0, 1, 2, 3, 4, 5],
    [5, 4, 3, 2, 1, 0],
    [1, 4, 0, 2, 5, 3],
    [4, 1, 5, 3, 0, 2],
  ];
  for (const order of orders) {
    const c = await h.newContact();
    const all = events(c._id);
    // One by one, so each really arrives after the previous one.
    for (const i of order) expect((await h.events.ingest(WS, [all[i]!]))[0]!.status).toBe('applied');
    expect(await h.contacts.get(WS, c._id)).toMatchObject({
      supportTickets: 1,
      totalTickets: 2,
      openDeals: 1,
    });
  }
  // The case: a close that arrives before its open leaves nothing open.
  const c = await h.newContact();
  await h.events.ingest(WS, [h.one(c._id, 'ticket.closed', { ticketId: 'X' }, at(2))]);
  await h.events.ingest(WS, [h.one(c._id, 'ticket.opened', { ticketId: 'X' }, at(1))]);
  expect(await h.contacts.get(WS, c._id)).toMatchObject({ supportTickets: 0, totalTickets: 1 });
});

test('invalid items get per-item errors at their field; unknown contacts are invalid', async () => {
  const c = await h.newContact();
  const r = await h.events.ingest(WS, [
    h.one(c._id, 'purchase', { amount: -1, currency: 'EUR' }),
    h.one(c._id, 'purchase', { amount: 1, currency: 'EURO' }),
    h.one(c._id, 'lead_score.set', { score: 101 }),
    h.one(c._id, 'purchase', { amount: { $gt: 0 }, currency: 'EUR' }),
    { eventId: 'x1', type: 'nope', contactId: c._id },
    { eventId: 'x2', type: 'conversation' },
    h.one('000000000000000000000000', 'conversation'),
    { ...h.one(c._id, 'conversation'), at: 'yesterday' },
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
  await expect(h.events.ingest(WS, Array(1001).fill({}))).rejects.toMatchObject({
    code: 'BATCH_TOO_LARGE',
    status: 400,
  });
});

test('conversation events: one event is a batch of one, a replay counts once; contacts resolve by externalId/email', async () => {
  const { contact: c } = await h.contacts.upsert(WS, { externalId: 'bot-1', email: 'bot@x.io' });
  const turn = (eventId: string, at: string) => [{ eventId, type: 'conversation', contactId: c._id, at }];
  expect(await h.events.ingest(WS, turn('act-0', '2024-02-01T00:00:00Z'))).toEqual([
    { eventId: 'act-0', status: 'applied' },
  ]);
  await h.events.ingest(WS, turn('act-1', '2024-03-01T00:00:00Z'));
  expect(await h.events.ingest(WS, turn('act-1', '2024-03-01T00:00:00Z'))).toEqual([
    { eventId: 'act-1', status: 'duplicate' },
  ]);
  await h.events.ingest(WS, [
    { eventId: h.eid(), type: 'conversation', externalId: 'bot-1', at: '2024-01-01T00:00:00Z' },
  ]);
  await h.events.ingest(WS, [{ eventId: h.eid(), type: 'ticket.opened', email: 'BOT@x.io' }]);
  expect(await h.contacts.get(WS, c._id)).toMatchObject({
    conversationCount: 3,
    lastConversationAt: new Date('2024-03-01T00:00:00Z'),
    totalTickets: 1,
  });
});
