/**
 * The engine's createMany (bulk import of new contacts): contacts go in already evaluated, with
 * the same memberships, recheck instants and transitions as insert-then-evaluate, and a process
 * that dies between the insert and the outbox move loses no transition (the lease lapses and
 * `flushStale` moves it, once).
 */
import { flushStale } from '../../../src/infra/membership/flush';
import type { ContactDoc } from '../../../src/infra/membership/store';
import { contactDoc, DAY, membershipFixture, WS, type Fixture } from '../../support/membershipFixture';

let f: Fixture;
beforeAll(async () => {
  f = await membershipFixture();
  await f.segments.create(WS, { name: 'Rich', rule: 'lifetimeValue >= 1000' }, 't');
  await f.segments.create(WS, { name: 'New', rule: 'createdAt within last 7 days' }, 't');
  await f.rebuildAll();
});
afterAll(() => f.close());

/** A new contact, not yet stored (version 0, as the contact service makes them). */
const contact = (partial: Partial<ContactDoc>): ContactDoc =>
  contactDoc(f.clock.now(), { name: 'Imported', version: 0, ...partial });

const c = () => f.membership.collections.contacts;
const insert = async (docs: ContactDoc[]) => {
  await c().insertMany(docs);
  return new Set<number>();
};
const strip = (d: ContactDoc | null) => ({
  segments: d!.segments.map((s) => s.segmentId).sort(),
  nextRecheckAt: d!.nextRecheckAt,
  pending: d!.pendingTransitions ?? [],
  lock: d!.flushLockBy ?? null,
});

test('same memberships, recheck instants and transitions as insert then evaluate', async () => {
  const old = new Date(f.clock.now().getTime() - 3 * DAY);
  const specs: Partial<ContactDoc>[] = [
    { lifetimeValue: 5000, createdAt: old },
    { lifetimeValue: 10, createdAt: new Date(f.clock.now().getTime() - 30 * DAY) },
    { lifetimeValue: 10, createdAt: old },
  ];
  const bulk = specs.map(contact);
  const refused = await f.membership.engine.createMany(WS, bulk, insert);
  expect(refused.size).toBe(0);
  const single = specs.map(contact);
  for (const d of single) {
    await c().insertOne(d);
    await f.membership.engine.evaluate(WS, d._id, 'contact');
  }
  for (let i = 0; i < specs.length; i++) {
    const a = strip(await c().findOne({ _id: bulk[i]!._id }));
    const b = strip(await c().findOne({ _id: single[i]!._id }));
    expect(a).toEqual({ ...b, lock: null });
    expect(a.pending).toEqual([]);
    const kinds = async (id: string) =>
      (await f.transitions({ contactId: id })).map((t) => `${t.kind}:${t.segmentId}:${t.cause}`).sort();
    expect(await kinds(bulk[i]!._id)).toEqual(await kinds(single[i]!._id));
  }
  expect(strip(await c().findOne({ _id: bulk[0]!._id })).segments).toHaveLength(2);
  // In "New" 3 days after creation: rechecked when it turns 7 days old (the first instant after).
  const recheck = (await c().findOne({ _id: bulk[2]!._id }))!.nextRecheckAt!.getTime();
  expect(recheck - (old.getTime() + 7 * DAY)).toBeGreaterThanOrEqual(0);
  expect(recheck - (old.getTime() + 7 * DAY)).toBeLessThanOrEqual(1);
});

test('a refused insert records nothing; a death after the insert loses no transition', async () => {
  const taken = contact({ lifetimeValue: 2000 });
  const fresh = contact({ lifetimeValue: 2000 });
  const refused = await f.membership.engine.createMany(WS, [taken, fresh], async (docs) => {
    await c().insertOne(docs[1]!);
    return new Set([0]); // as if its key were taken
  });
  expect([...refused]).toEqual([0]);
  expect(await f.transitions({ contactId: taken._id })).toEqual([]);
  expect(await f.transitions({ contactId: fresh._id })).toHaveLength(2);

  const dying = contact({ lifetimeValue: 3000 });
  await expect(
    f.membership.engine.createMany(WS, [dying], async (docs) => {
      await insert(docs);
      throw new Error('killed after the insert');
    }),
  ).rejects.toThrow('killed');
  const left = await c().findOne({ _id: dying._id });
  expect(left!.pendingTransitions).toHaveLength(2);
  expect(await flushStale(f.membership.collections)).toBe(0); // its lease still holds
  await c().updateOne({ _id: dying._id }, { $set: { flushLockUntil: new Date(Date.now() - 1) } });
  expect(await flushStale(f.membership.collections)).toBe(2);
  expect(await flushStale(f.membership.collections)).toBe(0);
  expect(await f.transitions({ contactId: dying._id })).toHaveLength(2);
  expect((await c().findOne({ _id: dying._id }))!.pendingTransitions).toEqual([]);
});
