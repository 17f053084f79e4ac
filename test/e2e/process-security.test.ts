/**
 * Issue 28 on a real `node dist/src/main.js`: the embedded database's files are readable by this
 * user only, and start-up errors about secrets neither echo them nor take an empty one as unset.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAIN, startMain, type Started } from '../support/processes';

jest.setTimeout(120_000);

let dataDir: string;
const running: Started[] = [];
beforeAll(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-secproc-'))));
afterAll(() => {
  for (const s of running) s.child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const env = () => ({
  DB_ENGINE: 'java-server',
  DATA_DIR: dataDir,
  PORT: '0',
  JAVA_SERVER_HEAP: '256m',
  SHUTDOWN_TIMEOUT_MS: '5000',
});
const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);
/** Every file under DATA_DIR with its permission bits. */
const modes = () =>
  Object.fromEntries(
    fs
      .readdirSync(dataDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => fs.statSync(path.join(dataDir, f)).isFile())
      .map((f) => [f, mode(path.join(dataDir, f))]),
  );

test('the H2 file (personal data, key hashes) is 0600 like database.json, new or left 0644 by an older version', async () => {
  // Whatever the umask of whoever starts the server.
  const first = await startMain(env());
  running.push(first);
  expectOwnerOnly(['segments.h2', 'database.json']);
  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  expectOwnerOnly(['segments.h2']);

  fs.chmodSync(path.join(dataDir, 'segments.h2'), 0o644);
  const second = await startMain(env());
  running.push(second);
  expectOwnerOnly(['segments.h2', 'database.json']);
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
  expectOwnerOnly(['segments.h2']);
});

/** The named files exist; every file in the data directory (the first run's key file too) is 0600. */
function expectOwnerOnly(names: string[]): void {
  const m = modes();
  for (const n of names) expect(m).toHaveProperty([n]);
  expect(Object.values(m).filter((mode) => mode !== '600')).toEqual([]);
}

const startUp = (extra: Record<string, string>) => {
  const r = spawnSync(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env(), ...extra },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const lines = r.stderr
    .trim()
    .split('\n')
    .filter((l) => !l.includes('DeprecationWarning') && !l.includes('trace-deprecation'));
  return { status: r.status, lines, all: r.stdout + r.stderr };
};

test('ADMIN_API_KEY= (empty) stops start-up with one clear line instead of running with no key', () => {
  const r = startUp({ ADMIN_API_KEY: '' });
  expect(r.status).toBe(1);
  expect(r.lines).toEqual([
    'segments: ADMIN_API_KEY is set but empty: give it a value of at least 16 characters, ' +
      'or remove the line to leave it unset.',
  ]);
});

test('a too short METRICS_TOKEN is not echoed', () => {
  const r = startUp({ METRICS_TOKEN: 'hunter2-metrics' });
  expect(r.status).toBe(1);
  expect(r.lines).toEqual([
    'segments: Invalid METRICS_TOKEN=(hidden, 15 characters): at least 16 characters',
  ]);
  expect(r.all).not.toContain('hunter2');
});
