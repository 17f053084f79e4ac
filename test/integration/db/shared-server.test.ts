import { openTestDb, type TestDb } from '../../support/db';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => t.close());

test('the shared test server answers basic commands inside the common subset', async () => {
  const col = t.db.collection('probe');
  await col.createIndex({ k: 1 }, { unique: true });
  await col.insertOne({ k: 'a', n: 1 });
  await expect(col.insertOne({ k: 'a', n: 2 })).rejects.toMatchObject({ code: 11000 });
  const doc = await col.findOneAndUpdate({ k: 'a' }, { $inc: { n: 1 } }, { returnDocument: 'after' });
  expect(doc?.n).toBe(2);
});
