/**
 * The whole app in-process on a loopback port, on its own database of the shared test server.
 * `stopTestApp` drops that database and shuts the app down.
 */
import pino from 'pino';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { testServerUri } from './db';

export async function startTestApp(name: string, env: Record<string, string> = {}): Promise<App> {
  const config = loadConfig({
    MONGODB_URI: testServerUri(),
    DB_NAME: `e2e_${name}_${process.pid}`,
    PORT: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startApp(config, pino({ level: 'silent' }), 'test');
}

export async function stopTestApp(app: App): Promise<void> {
  await app.conn.db?.dropDatabase();
  await app.stop();
}
