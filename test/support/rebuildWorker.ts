/**
 * A separate engine process for the crash test: `node dist/test/support/rebuildWorker.js <uri>
 * <dbName> <batch>` runs pending rebuilds to the end and exits 0. The test SIGKILLs one mid-way.
 */
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { Membership } from '../../src/infra/membership';
import { SegmentRepo } from '../../src/infra/repos/segments';

async function main(): Promise<void> {
  const [uri, dbName, batch] = process.argv.slice(2);
  if (!uri || !dbName) throw new Error('usage: rebuildWorker <uri> <dbName> [batch]');
  const client = await MongoClient.connect(uri);
  try {
    const db = client.db(dbName);
    const membership = new Membership(db, new SegmentRepo(db), pino({ level: 'silent' }), {
      rebuildBatch: Number(batch ?? 500),
    });
    while ((await membership.rebuilder.runOnce()) > 0 || (await membership.rebuilder.pending()) > 0) {
      // until no rebuild is pending
    }
  } finally {
    await client.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
