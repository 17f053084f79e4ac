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
      // Projected: mongo-java-server then copies the result under its lock (see allocatePositions).
      { upsert: true, returnDocument: 'after', projection: { count: 1 } },
    );
  return doc?.count ?? 1;
}
