/**
 * One database server per test run, shared by every test file (each file uses its own database
 * name). The chain picks it exactly as `npm start` would, but with in-memory backends. Its URI
 * reaches the test workers through MONGODB_URI, which they inherit.
 */
import { loadConfig } from '../../src/config';
import { provideDatabase, type ProvidedDatabase } from '../../src/infra/db/chain';
import { createLogger } from '../../src/infra/logger';

declare global {
  var __segmentsTestDb: ProvidedDatabase | undefined;
}

export default async function globalSetup(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger({ logLevel: 'info', version: config.version });
  const db = await provideDatabase(config, { purpose: 'test', log });
  globalThis.__segmentsTestDb = db;
  process.env.MONGODB_URI = db.uri;
  process.env.SEGMENTS_TEST_ENGINE = db.engine;
}
