/**
 * `npm run seed`: the demo data set in the bot's workspace. Uses the database of a running
 * `npm start` when there is one, else walks the database chain itself.
 */
import { loadProcessConfig } from '../config';
import { provideDatabase } from '../infra/db/chain';
import { createLogger } from '../infra/logger';
import { connectMongo } from '../infra/mongo';
import { seedDemo } from './seed';

const CONTACTS = 2000;

async function main(): Promise<void> {
  const config = loadProcessConfig();
  const log = createLogger(config);
  const provided = await provideDatabase(config, { purpose: 'start', log, shareRunning: true });
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
