/**
 * The whole app in-process on a loopback port, on its own database of the shared test server.
 * `stopTestApp` drops that database and shuts the app down.
 */
import pino from 'pino';
import { startApp, type App, type AppHooks } from '../../src/app';
import { loadConfig } from '../../src/config';
import { testServerUri } from './db';

export async function startTestApp(
  name: string,
  env: Record<string, string> = {},
  hooks: AppHooks = {},
): Promise<App> {
  const config = loadConfig({
    MONGODB_URI: testServerUri(),
    DB_NAME: `e2e_${name}_${process.pid}`,
    PORT: '0',
    LOG_LEVEL: 'silent',
    // Tests talk to the bot over loopback with no app id, as admins and agents.
    BOT_ALLOW_UNAUTHENTICATED_ADMINS: 'true',
    // The built-in flows message contacts proactively; only the workflow tests want that.
    FLOWS_BUILT_IN: 'false',
    ...env,
  });
  return startApp(config, pino({ level: 'silent' }), 'test', hooks);
}

export async function stopTestApp(app: App): Promise<void> {
  await app.conn.db?.dropDatabase();
  await app.stop();
}

/** The bootstrap API key the e2e tests give the app (ADMIN_API_KEY). */
export const TEST_API_KEY = 'test-admin-key-0123456789';

export interface ApiResponse {
  status: number;
  body: Record<string, any>;
}

/**
 * A caller of the app's REST API. `app` is a getter because tests assign their app in beforeAll.
 * An empty response body (204) comes back as `undefined`.
 */
export function apiClient(app: () => App, defaultKey = TEST_API_KEY) {
  return async (method: string, path: string, body?: unknown, key = defaultKey): Promise<ApiResponse> => {
    const res = await fetch(`http://127.0.0.1:${app().port}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
  };
}
