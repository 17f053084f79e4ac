/**
 * The dispatcher hands transitions over in position order, persists its cursor (a new dispatcher
 * resumes after the last delivered one), retries after a failing subscriber, and waits for a
 * position that is still being written before passing it.
 */
import pino from 'pino';
import type { Transition } from '../../../src/domain/membership/transitions';
import { Dispatcher } from '../../../src/infra/membership/dispatcher';
import { membershipFixture, WS, type Fixture } from '../../support/membershipFixture';

let f: Fixture;
beforeAll(async () => {
  f = await membershipFixture();
});
afterAll(() => f.close());

const record = (position: number): Transition => ({
  _id: `c${position}:1`,
  workspaceId: WS,
  contactId: `c${position}`,
  segmentId: 's',
  kind: 'entered',
  at: new Date(),
  cause: 'contact',
  seq: 1,
  position,
});

test('order, persisted cursor, retry after failure, gaps', async () => {
  const log = pino({ level: 'silent' });
  await f.membership.collections.transitions.insertMany([1, 2, 3].map(record));
  const seen: number[] = [];
  const first = new Dispatcher(f.t.db, f.membership.collections, log, { name: 'test', gapGraceMs: 300 });
  first.subscribe('rec', async (t) => {
    if (t.position === 3 && !seen.includes(-3)) {
      seen.push(-3);
      throw new Error('subscriber down');
    }
    seen.push(t.position);
  });
  expect(await first.dispatchOnce()).toBe(2);
  expect(await first.dispatchOnce()).toBe(1); // the failed one is delivered again
  expect(seen).toEqual([1, 2, -3, 3]);
  expect(await first.position()).toBe(3);

  // Position 4 is "in flight": 5 waits for it; it arrives and both are delivered in order.
  await f.membership.collections.transitions.insertOne(record(5));
  const second = new Dispatcher(f.t.db, f.membership.collections, log, { name: 'test', gapGraceMs: 300 });
  const later: number[] = [];
  second.subscribe('rec', async (t) => {
    later.push(t.position);
  });
  await f.t.db
    .collection('dispatch_cursors')
    .updateOne({ _id: 'test' as never }, { $set: { leaseUntil: new Date(0) } });
  expect(await second.dispatchOnce()).toBe(0);
  await f.membership.collections.transitions.insertOne(record(4));
  expect(await second.dispatchOnce()).toBe(2);
  expect(later).toEqual([4, 5]);

  // Position 6 never arrives (its writer died): 7 is delivered once the grace period is over.
  await f.membership.collections.transitions.insertOne(record(7));
  expect(await second.dispatchOnce()).toBe(0);
  await new Promise((r) => setTimeout(r, 350));
  expect(await second.dispatchOnce()).toBe(1);
  expect(later).toEqual([4, 5, 7]);
  // Only the lease holder dispatches.
  expect(await first.dispatchOnce()).toBe(0);
});

test('a stopped dispatcher hands its lease over at once', async () => {
  const log = pino({ level: 'silent' });
  const opts = { name: 'handover', gapGraceMs: 0 };
  const a = new Dispatcher(f.t.db, f.membership.collections, log, opts);
  const b = new Dispatcher(f.t.db, f.membership.collections, log, opts);
  await a.dispatchOnce(); // a takes the lease and delivers what exists
  await f.membership.collections.transitions.insertOne(record(1000));
  const seen: number[] = [];
  b.subscribe('rec', async (t) => {
    seen.push(t.position);
  });
  expect(await b.dispatchOnce()).toBe(0); // a's lease holds
  await a.release();
  expect(await b.dispatchOnce()).toBe(1);
  expect(seen).toEqual([1000]);
});

test('a batch subscriber gets each ready batch at once, before the per-transition ones; a failure redelivers the whole batch', async () => {
  const log = pino({ level: 'silent' });
  const d = new Dispatcher(f.t.db, f.membership.collections, log, { name: 'batches', gapGraceMs: 0 });
  await d.dispatchOnce(); // past what the other tests left
  const start = await d.position();
  await f.membership.collections.transitions.insertMany([1, 2, 3].map((i) => record(start + i)));
  const batches: number[][] = [];
  const single: number[] = [];
  let fail = true;
  d.subscribeBatch('bulk', async (ts) => {
    batches.push(ts.map((t) => t.position - start));
    if (fail) {
      fail = false;
      throw new Error('bulk subscriber down');
    }
  });
  d.subscribe('one', async (t) => {
    single.push(t.position - start);
  });
  expect(await d.dispatchOnce()).toBe(0); // the batch failed: nothing delivered, cursor unmoved
  expect(await d.position()).toBe(start);
  expect(single).toEqual([]);
  expect(await d.dispatchOnce()).toBe(3);
  expect(batches).toEqual([
    [1, 2, 3],
    [1, 2, 3],
  ]);
  expect(single).toEqual([1, 2, 3]);
  expect(await d.position()).toBe(start + 3);
});
