/**
 * The database chain every entry point uses (DESIGN §2.1): MONGODB_URI → mongodb-memory-server →
 * mongo-java-server → one clear error. DB_ENGINE forces one step; `auto` walks the chain and the
 * log says which step was chosen and why the earlier ones were skipped.
 */
import path from 'node:path';
import type { Config } from '../../config';
import { DatabaseLockedError, DatabaseUnavailableError } from '../../errors';
import type { Logger } from '../logger';
import { startJavaServer, type RunningServer } from './javaServer';
import { rememberedFailure, startMemoryServer } from './memoryServer';
import { findRunning, recordRunning, type Engine } from './runningFile';

export type { Engine } from './runningFile';

export interface ProvidedDatabase {
  engine: Engine;
  uri: string;
  /** Stops a server this process started; a no-op for MONGODB_URI. */
  stop(): Promise<void>;
  /** Resolves with the reason if a database child we started dies on its own. */
  died?: Promise<string>;
}

export interface ChainOptions {
  /** `start` keeps data on disk under DATA_DIR; `test` uses throw-away in-memory servers. */
  purpose: 'start' | 'test';
  log: Logger;
  /**
   * With `start`: use the server a running `npm start` recorded in DATA_DIR, if it answers,
   * instead of starting a second one on the same files (the seed script does this).
   */
  shareRunning?: boolean;
  /** Overrides for tests of the chain itself. */
  cacheDir?: string;
  javaServer?: typeof startJavaServer;
  memoryServer?: typeof startMemoryServer;
}

const HOW_TO =
  'Provide a database in one of these ways: set MONGODB_URI to a running MongoDB; or let ' +
  'mongodb-memory-server download mongod (needs internet once); or install Java 17+ and Maven so ' +
  'mongo-java-server can start (see docs/operations.md, "Databases").';

export async function provideDatabase(config: Config, opts: ChainOptions): Promise<ProvidedDatabase> {
  const cacheDir = opts.cacheDir ?? path.join(config.projectRoot, '.cache');
  const skipped: string[] = [];
  const forced = config.dbEngine !== 'auto';
  const chosen = (
    engine: Engine,
    uri: string,
    stopServer: () => Promise<void>,
    died?: Promise<string>,
  ): ProvidedDatabase => {
    let stop = stopServer;
    if (opts.purpose === 'start' && engine !== 'uri') {
      const forget = recordRunning(config.dataDir, engine, uri);
      stop = async () => {
        forget();
        await stopServer();
      };
    }
    opts.log.info(
      { engine, skipped, forced },
      `database: using ${engine}${skipped.length ? ` (skipped: ${skipped.join('; ')})` : ''}`,
    );
    return { engine, uri, stop, ...(died ? { died } : {}) };
  };

  if (opts.shareRunning && opts.purpose === 'start' && !config.mongodbUri) {
    const running = await findRunning(config.dataDir);
    if (running) {
      opts.log.info(
        { engine: running.engine },
        `database: sharing the ${running.engine} of the running server`,
      );
      return { engine: running.engine, uri: running.uri, stop: async () => {} };
    }
  }

  if (config.dbEngine === 'auto' || config.dbEngine === 'uri') {
    if (config.mongodbUri) return chosen('uri', config.mongodbUri, async () => {});
    skipped.push('uri: MONGODB_URI is not set');
  }

  if (config.dbEngine === 'auto' || config.dbEngine === 'memory-server') {
    const memOpts = {
      markerDir: cacheDir,
      retryHours: config.memoryServerRetryHours,
      ...(opts.purpose === 'start' ? { dbPath: path.join(config.dataDir, 'mongod') } : {}),
    };
    const remembered = forced ? undefined : rememberedFailure(memOpts);
    if (remembered) {
      skipped.push(`memory-server: ${remembered}`);
    } else {
      try {
        const s = await (opts.memoryServer ?? startMemoryServer)(memOpts);
        return chosen('memory-server', s.uri, () => s.stop());
      } catch (err) {
        skipped.push(`memory-server: ${message(err)}`);
      }
    }
  }

  if (config.dbEngine === 'auto' || config.dbEngine === 'java-server') {
    try {
      const s: RunningServer = await (opts.javaServer ?? startJavaServer)({
        projectRoot: config.projectRoot,
        cacheDir,
        heap: config.javaServerHeap,
        log: opts.log,
        ...(opts.purpose === 'start' ? { h2File: path.join(config.dataDir, 'segments.h2') } : {}),
      });
      return chosen('java-server', s.uri, () => s.stop(), s.died);
    } catch (err) {
      if (err instanceof DatabaseLockedError) throw err;
      skipped.push(`java-server: ${message(err)}`);
    }
  }

  throw new DatabaseUnavailableError(`No database available (${skipped.join('; ')}). ${HOW_TO}`);
}

function message(err: unknown): string {
  return ((err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '').slice(0, 300);
}
