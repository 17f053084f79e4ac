/**
 * Two test files run this at the same time (jest's two workers) against the one shared server:
 * each must see exactly its own writes in its own database.
 */
import { openTestDb } from './db';

export function isolationSuite(label: string): void {
  test(`${label}: concurrent writes stay in this file's database`, async () => {
    const t = await openTestDb(label);
    try {
      const col = t.db.collection<{ _id: number; label: string }>('items');
      for (let round = 0; round < 10; round++) {
        const docs = Array.from({ length: 100 }, (_, i) => ({ _id: round * 100 + i, label }));
        await col.insertMany(docs);
      }
      expect(await col.countDocuments({})).toBe(1000);
      expect(await col.distinct('label')).toEqual([label]);
    } finally {
      await t.close();
    }
  });
}
