/**
 * A fresh database on the run's shared test server, for one test file: its own name, dropped on
 * close, so test files that run at the same time never see each other's data.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';

export interface TestDb {
  db: Db;
  client: MongoClient;
  dbName: string;
  uri: string;
  close(): Promise<void>;
}

export function testServerUri(): string {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: run tests through jest (test/support/globalSetup.ts)');
  return uri;
}

export async function openTestDb(prefix = 't'): Promise<TestDb> {
  const uri = testServerUri();
  const dbName = `${prefix}_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 10_000 });
  const db = client.db(dbName);
  return {
    db,
    client,
    dbName,
    uri,
    close: async () => {
      await db.dropDatabase().catch(() => undefined);
      await client.close();
    },
  };
}
