/**
 * A separate API-side process for the event crash test: `node dist/test/support/eventWorker.js
 * <uri> <dbName> <prefix> <count>` sends one purchase of 6,000 to each contact `<prefix>-<i>`
 * through the real EventService and membership engine, 8 in flight, printing "ready" first.
 * The test SIGKILLs it at a chosen delay and then checks that recovery repairs every membership.
 */
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { createCoreServices } from '../../src/compose/core';
import { Membership } from '../../src/infra/membership';
import { SegmentRepo } from '../../src/infra/repos/segments';

async function main(): Promise<void> {
  const [uri, dbName, prefix, count] = process.argv.slice(2);
  if (!uri || !dbName || !prefix) throw new Error('usage: eventWorker <uri> <dbName> <prefix> <count>');
  const client = await MongoClient.connect(uri);
  try {
    const db = client.db(dbName);
    const membership = new Membership(db, new SegmentRepo(db), pino({ level: 'silent' }));
    const core = await createCoreServices(db, { listener: membership.engine });
    await membership.catalog.get('ws1');
    process.stdout.write('ready\n');
    let next = 0;
    const n = Number(count ?? 1000);
    const lane = async (): Promise<void> => {
      while (next < n) {
        const i = next++;
        const contactId = `${prefix}-${String(i).padStart(5, '0')}`;
        const data = { amount: 6000, currency: 'EUR' };
        await core.events.ingest('ws1', [{ eventId: `p-${contactId}`, type: 'purchase', contactId, data }]);
      }
    };
    await Promise.all(Array.from({ length: 8 }, lane));
  } finally {
    await client.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
