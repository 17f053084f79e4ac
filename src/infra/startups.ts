/**
 * Counts process starts on a database. The count is shown in /healthz, which makes "a restart
 * finds the data it left" visible to a person and checkable by a test.
 */
import type { Connection } from 'mongoose';

export async function recordStartup(conn: Connection, version: string): Promise<number> {
  const doc = await conn
    .db!.collection<{ _id: string; count: number; lastAt: Date; version: string }>('system_info')
    .findOneAndUpdate(
      { _id: 'startups' },
      { $inc: { count: 1 }, $set: { lastAt: new Date(), version } },
      { upsert: true, returnDocument: 'after' },
    );
  return doc?.count ?? 1;
}
