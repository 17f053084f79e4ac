/**
 * mongodb-memory-server: a real `mongod`, downloaded on first use and cached. Offline the download
 * fails after ~7 s, so a failure is remembered in a marker file with its time and later starts skip
 * this step at once until the marker is older than the retry window.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RunningServer } from './javaServer';

export interface MemoryServerOptions {
  markerDir: string;
  retryHours: number;
  /** Set for `npm start` so a restart finds its data; omitted for tests (ephemeral). */
  dbPath?: string;
  now?: () => Date;
}

interface Marker {
  failedAt: string;
  reason: string;
}

export const MARKER_FILE = 'memory-server-unavailable.json';

/** Why the step should be skipped now, or undefined when it should be tried. */
export function rememberedFailure(opts: MemoryServerOptions): string | undefined {
  const file = path.join(opts.markerDir, MARKER_FILE);
  let marker: Marker;
  try {
    marker = JSON.parse(fs.readFileSync(file, 'utf8')) as Marker;
  } catch {
    return undefined;
  }
  const age = (opts.now ?? (() => new Date()))().getTime() - Date.parse(marker.failedAt);
  if (!(age >= 0 && age < opts.retryHours * 3_600_000)) return undefined;
  return `it failed at ${marker.failedAt} (${marker.reason}); retrying after ${opts.retryHours} h (delete ${file} to retry now)`;
}

export async function startMemoryServer(opts: MemoryServerOptions): Promise<RunningServer> {
  const { MongoBinary, MongoMemoryServer } = await import('mongodb-memory-server');
  try {
    if (opts.dbPath) fs.mkdirSync(opts.dbPath, { recursive: true });
    // Fetch (or find) the binary first: offline, MongoMemoryServer.create would print the
    // download error's whole stack to the console; this way the chain logs one line instead.
    await MongoBinary.getPath();
    const server = await MongoMemoryServer.create({
      instance: {
        ip: '127.0.0.1',
        ...(opts.dbPath ? { dbPath: opts.dbPath, storageEngine: 'wiredTiger' } : {}),
      },
    });
    return {
      uri: server.getUri(),
      pid: server.instanceInfo?.instance.mongodProcess?.pid ?? -1,
      stop: async () => {
        await server.stop({ doCleanup: !opts.dbPath });
      },
    };
  } catch (err) {
    const reason = describe(err);
    fs.mkdirSync(opts.markerDir, { recursive: true });
    const marker: Marker = { failedAt: (opts.now ?? (() => new Date()))().toISOString(), reason };
    fs.writeFileSync(path.join(opts.markerDir, MARKER_FILE), JSON.stringify(marker));
    throw new Error(reason);
  }
}

/** mongodb-memory-server's first line says which URL failed; `msg` says why (ENOTFOUND, ...). */
export function describe(err: unknown): string {
  const e = err as { message?: string; msg?: string };
  const first = (e.message ?? String(err)).split('\n')[0]?.replace(/,? Details:$/, '') ?? 'unknown';
  return e.msg ? `${first}: ${e.msg}` : first;
}
