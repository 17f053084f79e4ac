/** Setup and teardown the benchmarks share. */
import type { MongoClient } from 'mongodb';
import pino from 'pino';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';

/** The whole app on database `dbName` at `uri`, on an ephemeral loopback port, silent; `env` adds settings. */
export function startBenchApp(uri: string, dbName: string, env: Record<string, string> = {}): Promise<App> {
  return startApp(
    loadConfig({ MONGODB_URI: uri, DB_NAME: dbName, PORT: '0', LOG_LEVEL: 'silent', ...env }),
    pino({ level: 'silent' }),
    'test',
  );
}

/** Drops the benchmark's databases (best effort: the server may be gone) and closes the client. */
export async function dropAndClose(client: MongoClient | undefined, ...names: string[]): Promise<void> {
  if (!client) return;
  for (const name of names)
    await client
      .db(name)
      .dropDatabase()
      .catch(() => undefined);
  await client.close();
}
