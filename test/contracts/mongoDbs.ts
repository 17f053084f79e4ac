/**
 * A fresh database per contract test on the run's shared test server (test/support/db.ts), so
 * each test starts empty, including the unscoped queries (workspaces, pending events). Call at
 * the top of a test file: it registers the hooks that open the client and drop what it made.
 */
import type { Db } from 'mongodb';
import { openTestDb, type TestDb } from '../support/db';

export function freshMongoDbs(prefix: string): () => Db {
  let t: TestDb | undefined;
  const made: Db[] = [];
  beforeAll(async () => {
    t = await openTestDb(prefix);
  });
  afterAll(async () => {
    await Promise.all(made.map((db) => db.dropDatabase().catch(() => undefined)));
    await t?.close();
  });
  return () => {
    if (!t) throw new Error('freshMongoDbs: used outside a test');
    const db = t.client.db(`${t.dbName}_${made.length}`);
    made.push(db);
    return db;
  };
}
