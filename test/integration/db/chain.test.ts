/**
 * The database chain, each path for real: MONGODB_URI, a forced mongo-java-server, the remembered
 * memory-server failure, and the final error.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { loadConfig } from '../../../src/config';
import { DatabaseUnavailableError } from '../../../src/errors';
import { provideDatabase } from '../../../src/infra/db/chain';
import { MARKER_FILE, rememberedFailure, startMemoryServer } from '../../../src/infra/db/memoryServer';
import { testServerUri } from '../../support/db';

const log = pino({ level: 'silent' });
const projectCache = path.resolve(__dirname, '../../../.cache');
let tmp: string;
beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'chain-'))));
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function ping(uri: string, timeoutMs = 5000): Promise<void> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: timeoutMs });
  try {
    expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
  } finally {
    await client.close();
  }
}

test('MONGODB_URI set: the chain uses it and starts nothing', async () => {
  const config = loadConfig({ MONGODB_URI: testServerUri() });
  const db = await provideDatabase(config, { purpose: 'test', log, cacheDir: tmp });
  expect(db).toMatchObject({ engine: 'uri', uri: testServerUri() });
  await ping(db.uri);
});

test('DB_ENGINE=java-server starts a real mongo-java-server and stops it', async () => {
  const config = loadConfig({ DB_ENGINE: 'java-server', JAVA_SERVER_HEAP: '256m' });
  // The project cache holds the resolved class path, so this does not run Maven again.
  const db = await provideDatabase(config, { purpose: 'test', log, cacheDir: projectCache });
  expect(db.engine).toBe('java-server');
  await ping(db.uri);
  await db.stop();
  await expect(ping(db.uri, 500)).rejects.toThrow();
});

test('a remembered memory-server failure costs under a second and names the marker', async () => {
  fs.writeFileSync(
    path.join(tmp, MARKER_FILE),
    JSON.stringify({ failedAt: new Date().toISOString(), reason: 'offline' }),
  );
  const memoryServer = jest.fn(startMemoryServer);
  const javaServer = jest.fn(async () => ({ uri: 'mongodb://127.0.0.1:1/', pid: 1, stop: async () => {} }));
  const started = Date.now();
  const db = await provideDatabase(loadConfig({}), {
    purpose: 'test',
    log,
    cacheDir: tmp,
    memoryServer,
    javaServer,
  });
  expect(Date.now() - started).toBeLessThan(1000);
  expect(db.engine).toBe('java-server');
  expect(memoryServer).not.toHaveBeenCalled();
});

test('a failed memory-server start writes the marker that later starts honour', async () => {
  const opts = { markerDir: tmp, retryHours: 24 };
  // A system binary that does not exist fails at once, online or offline.
  process.env.MONGOMS_SYSTEM_BINARY = path.join(tmp, 'no-such-mongod');
  try {
    await expect(startMemoryServer(opts)).rejects.toThrow();
  } finally {
    delete process.env.MONGOMS_SYSTEM_BINARY;
  }
  expect(rememberedFailure(opts)).toMatch(/failed at .*retrying after 24 h/);
  const later = () => new Date(Date.now() + 25 * 3_600_000);
  expect(rememberedFailure({ ...opts, now: later })).toBeUndefined();
});

test('a failed memory-server start prints no stack trace: the error is one line (issue 13 fix 9)', async () => {
  const printed = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  process.env.MONGOMS_SYSTEM_BINARY = path.join(tmp, 'no-such-mongod');
  try {
    const err = await startMemoryServer({ markerDir: tmp, retryHours: 24 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/no-such-mongod/);
    expect(err?.message).not.toContain('\n');
    expect(printed).not.toHaveBeenCalled();
    expect(errors).not.toHaveBeenCalled();
  } finally {
    delete process.env.MONGOMS_SYSTEM_BINARY;
    printed.mockRestore();
    errors.mockRestore();
  }
});

test('nothing available: one error that lists the ways to provide a database', async () => {
  const failing = async (): Promise<never> => {
    throw new Error('java: not found');
  };
  const run = provideDatabase(loadConfig({}), {
    purpose: 'test',
    log,
    cacheDir: tmp,
    memoryServer: async () => failing(),
    javaServer: async () => failing(),
  });
  await expect(run).rejects.toThrow(DatabaseUnavailableError);
  await expect(run).rejects.toThrow(
    /MONGODB_URI is not set.*memory-server: java: not found.*set MONGODB_URI.*Java 17\+ and Maven/,
  );
});

test('a start records its server in DATA_DIR; the seed shares it while it answers', async () => {
  const config = loadConfig({ DATA_DIR: tmp, DB_ENGINE: 'java-server' });
  const javaServer = jest.fn(async () => ({ uri: testServerUri(), pid: 1, stop: async () => {} }));
  const server = await provideDatabase(config, { purpose: 'start', log, cacheDir: tmp, javaServer });
  const seed = await provideDatabase(config, {
    purpose: 'start',
    log,
    cacheDir: tmp,
    javaServer,
    shareRunning: true,
  });
  expect(seed).toMatchObject({ engine: 'java-server', uri: testServerUri() });
  expect(javaServer).toHaveBeenCalledTimes(1);
  await seed.stop();
  await server.stop();
  // Once the server is gone, the seed starts its own.
  await provideDatabase(config, { purpose: 'start', log, cacheDir: tmp, javaServer, shareRunning: true });
  expect(javaServer).toHaveBeenCalledTimes(2);
});
