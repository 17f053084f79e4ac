/**
 * The Direct Line store on the test database: watermarks count 1, 2, 3… per conversation with
 * ids `<conversation>|<watermark>`, tokens open only their conversation and stop at expiry, a
 * refresh extends them, and expired conversations are purged with their activities while live
 * ones stay.
 */
import { DirectLineStore } from '../../../bot/directline/store';
import { openTestDb, type TestDb } from '../../support/db';

let t: TestDb;
let now = new Date('2026-12-01T10:00:00Z');
let store: DirectLineStore;
const HOUR = 3_600_000;
const later = (ms: number) => (now = new Date(now.getTime() + ms));

beforeAll(async () => {
  t = await openTestDb('directline');
  store = new DirectLineStore(t.db, HOUR, () => now);
  await store.ensureIndexes();
});
afterAll(() => t.close());

test('watermarks, tokens, refresh and purge', async () => {
  const a = await store.create({ id: 'u-a', name: 'A' }, { workspaceId: 'ws', keyHash: 'k' });
  const b = await store.create({ id: 'u-b', name: 'B' }, { workspaceId: 'ws', keyHash: 'k' });
  const ids = [];
  for (const text of ['one', 'two', 'three'])
    ids.push((await store.append(a.conversation._id, { type: 'message', text })).id);
  await store.append(b.conversation._id, { type: 'message', text: 'other' });
  expect(ids).toEqual([1, 2, 3].map((n) => `${a.conversation._id}|000000${n}`));
  const page = await store.since(a.conversation._id, 1);
  expect(page.activities.map((x) => x.text)).toEqual(['two', 'three']);
  expect(page.watermark).toBe(3);
  expect((await store.since(a.conversation._id, 3)).activities).toEqual([]);

  expect((await store.byToken(a.token))?._id).toBe(a.conversation._id);
  expect(await store.byToken('nope')).toBeNull();
  expect(await store.markStarted(a.conversation._id)).toBe(true);
  expect(await store.markStarted(a.conversation._id)).toBe(false);

  // B is refreshed half-way; an hour and a bit later only A's token has expired.
  later(HOUR / 2);
  await store.refresh(b.conversation._id);
  later(HOUR / 2 + 1);
  expect(await store.byToken(a.token)).toBeNull();
  expect((await store.byToken(b.token))?._id).toBe(b.conversation._id);

  expect(await store.purgeExpired(now)).toBe(1);
  expect(await store.purgeExpired(now)).toBe(0);
  expect(await store.get(a.conversation._id)).toBeNull();
  expect(
    await t.db.collection('directline_activities').countDocuments({ conversationId: a.conversation._id }),
  ).toBe(0);
  expect((await store.since(b.conversation._id, 0)).activities).toHaveLength(1);
});
