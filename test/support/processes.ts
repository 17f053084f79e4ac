/** Helpers for tests that run `node dist/src/main.js` as a real child process. */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const MAIN = path.resolve(__dirname, '../../dist/src/main.js');

export interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

export function assertBuilt(): void {
  if (!fs.existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run "npm run build" (npm test does it first)`);
}

/**
 * Where children run unless a test says otherwise: main.js reads `.env` from its working
 * directory, and a developer's `.env` in the checkout must not change what a test starts.
 */
export const NEUTRAL_CWD = path.dirname(MAIN);

/**
 * Starts main.js with exactly `env` (plus PATH/HOME) in `cwd` and waits for its "listening" log
 * line.
 */
export function startMain(
  env: Record<string, string>,
  timeoutMs = 60_000,
  cwd = NEUTRAL_CWD,
): Promise<Started> {
  assertBuilt();
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd,
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "listening" line in ${timeoutMs} ms:\n${out}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /"port":(\d+).*listening on/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), output: () => out, exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`main.js exited with ${code} before listening:\n${out}`));
    });
  });
}

/** Direct children of a process (the database launcher's JVM is one). */
export function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitUntil(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}
