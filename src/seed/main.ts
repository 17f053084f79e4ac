/**
 * `npm run seed`: the demo data set in the bot's workspace, 90 days of it (see seed.ts). It
 * replays those days on its own clock, so it wants the database to itself: with `npm start`
 * running on the same DATA_DIR it stops and says so, before writing anything.
 */
import { loadProcessConfig } from '../config';
import { provideDatabase } from '../infra/db/chain';
import { findRunning } from '../infra/db/runningFile';
import { createLogger } from '../infra/logger';
import { connectMongo } from '../infra/mongo';
import { seedDemo } from './seed';

const CONTACTS = 2000;

async function main(): Promise<void> {
  const config = loadProcessConfig();
  const log = createLogger(config);
  if (!config.mongodbUri && (await findRunning(config.dataDir))) {
    console.error(
      'seed: `npm start` is running on this data directory. The seed replays 90 days on its own ' +
        "clock, which the running server's sweeper would disturb: stop the server (Ctrl-C), run " +
        '`npm run seed`, then `npm start` again.',
    );
    process.exitCode = 2;
    return;
  }
  const provided = await provideDatabase(config, { purpose: 'start', log });
  const conn = await connectMongo(provided.uri, config.dbName, log);
  try {
    await seedDemo(conn.db!, config.bot.workspaceId, CONTACTS, log);
  } finally {
    await conn.close();
    await provided.stop();
  }
}

main().catch((err: unknown) => {
  console.error('seed failed:', err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
