/**
 * `node dist/src/main.js` as a real process on the embedded H2 database: health, graceful shutdown
 * on SIGTERM (exit 0, no unhandled rejection, no Java left), data kept across a restart, and the
 * database child dying with a SIGKILLed parent.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  childPids,
  isAlive,
  MAIN,
  NEUTRAL_CWD,
  startMain,
  waitUntil,
  type Started,
} from '../support/processes';

jest.setTimeout(120_000);

let dataDir: string;
const running: Started[] = [];
beforeAll(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-proc-'))));
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

async function health(port: number): Promise<Record<string, unknown>> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

test('SIGTERM: exit 0, no unhandled rejection, the JVM gone; a restart finds its data', async () => {
  const first = await startMain(env());
  running.push(first);
  expect(await health(first.port)).toMatchObject({ status: 'ok', db: 'ok', startups: 1 });
  const jvms = childPids(first.child.pid!);
  expect(jvms.length).toBe(1);

  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  expect(first.output()).not.toMatch(/unhandled|uncaught/i);
  // A clean shutdown logs no warning (issue 13 fix 9: "database: disconnected" was one). The
  // start-up warning about running without bot authentication is another matter.
  const shutdownLog = first.output().slice(first.output().indexOf('"shutting down"'));
  expect(shutdownLog).not.toMatch(/"level":[45]\d/);
  expect(first.output()).toContain('database: connection closed');
  expect(await waitUntil(() => jvms.every((p) => !isAlive(p)), 10_000)).toBe(true);

  const second = await startMain(env());
  running.push(second);
  expect(await health(second.port)).toMatchObject({ db: 'ok', startups: 2 });
  second.child.kill('SIGINT');
  expect(await second.exited).toBe(0);
});

test('SIGKILL of the Node process still takes the JVM down', async () => {
  const s = await startMain(env());
  running.push(s);
  const jvms = childPids(s.child.pid!);
  expect(jvms.length).toBe(1);
  s.child.kill('SIGKILL');
  await s.exited;
  expect(await waitUntil(() => jvms.every((p) => !isAlive(p)), 10_000)).toBe(true);
});

test('a bad setting stops start-up with one line naming it', () => {
  const r = spawnSync(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: 'eighty' },
    cwd: NEUTRAL_CWD,
    encoding: 'utf8',
  });
  expect(r.status).toBe(1);
  expect(
    r.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.includes('DeprecationWarning') && !l.includes('trace-deprecation')),
  ).toEqual(['segments: Invalid PORT="eighty": must be a whole number from 0 to 65535']);
});
