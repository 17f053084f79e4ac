/**
 * The built-in Direct Line 3.0 service (see routes.ts). It exists for the console's Web Chat and
 * local trials: with MICROSOFT_APP_ID set the bot only accepts Azure-signed requests, so it is not
 * registered then (use Azure's Direct Line channel instead).
 */
import type { Db } from 'mongodb';
import type { Server } from 'restify';
import type { Logger } from '../../src/infra/logger';
import { startLoop, type Loop } from '../../src/infra/loop';
import { registerDirectLine, type DirectLineDeps } from './routes';
import { DirectLineStore } from './store';

export { DIRECTLINE_PREFIX } from './routes';

/** Tokens live an hour; Web Chat refreshes them long before. */
const TOKEN_TTL_MS = 60 * 60 * 1000;
/** Expired conversations are deleted with their activities, checked this often. */
const PURGE_EVERY_MS = 10 * 60 * 1000;

export interface DirectLineSetup {
  db: Db;
  principal: DirectLineDeps['principal'];
  isLive: DirectLineDeps['isLive'];
  botWorkspaceId: string;
  host: string;
  port: () => number;
  log: Logger;
}

/** The URL the bot (in this process) reaches this server at: loopback when bound to any address. */
export function selfUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

/** Registers the routes; the returned loop purges expired conversations (stop it on shutdown). */
export async function setupDirectLine(server: Server, s: DirectLineSetup): Promise<Loop> {
  const store = new DirectLineStore(s.db, TOKEN_TTL_MS);
  await store.ensureIndexes();
  registerDirectLine(server, {
    store,
    principal: s.principal,
    isLive: s.isLive,
    botWorkspaceId: s.botWorkspaceId,
    selfUrl: () => selfUrl(s.host, s.port()),
    log: s.log,
  });
  return startLoop('directline-purge', PURGE_EVERY_MS, () => store.purgeExpired(new Date()), s.log);
}
