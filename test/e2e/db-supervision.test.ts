/**
 * Issue 16 (4): the embedded database child is supervised. Its death stops the server with a
 * message naming the cause (a process manager then restarts it) instead of a server that answers
 * every call with a 500 after 15 s; a second server on the same DATA_DIR is told which process
 * holds the H2 file instead of "install Java 17+ and Maven".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childPids, isAlive, startMain, waitUntil, type Started } from '../support/processes';

jest.setTimeout(120_000);

let dataDir: string;
const running: Started[] = [];
beforeAll(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-sup-'))));
afterAll(() => {
  for (const s of running) s.child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const env = () => ({
  DB_ENGINE: 'java-server',
  DATA_DIR: dataDir,
  PORT: '0',
  JAVA_SERVER_HEAP: '256m',
  SHUTDOWN_TIMEOUT_MS: '3000',
});

test('kill -9 of the JVM: the server exits 1 at once and the log names the cause', async () => {
  const s = await startMain(env());
  running.push(s);
  const [jvm] = childPids(s.child.pid!);
  expect(jvm).toBeDefined();
  const killedAt = Date.now();
  process.kill(jvm!, 'SIGKILL');
  expect(await s.exited).toBe(1);
  expect(Date.now() - killedAt).toBeLessThan(10_000);
  expect(s.output()).toMatch(/embedded database \(mongo-java-server, pid \d+\) was killed by SIGKILL/);
});

test('a second server on the same DATA_DIR names the process holding the H2 file', async () => {
  const first = await startMain(env());
  running.push(first);
  const [jvm] = childPids(first.child.pid!);
  // startMain rejects with the process's whole output when it exits before listening.
  const out = await startMain(env()).then(
    () => 'it started',
    (err: Error) => err.message,
  );
  expect(out).toMatch(/^main\.js exited with 1 before listening/);
  expect(out).toContain(`is locked by process ${jvm}`);
  expect(out).not.toMatch(/install Java/);
  // The first one is untouched.
  expect(isAlive(first.child.pid!)).toBe(true);
  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  expect(await waitUntil(() => !isAlive(jvm!), 10_000)).toBe(true);
});
