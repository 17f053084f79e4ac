/**
 * Starts and supervises mongo-java-server through our launcher (built by launcherBuild.ts): a
 * bounded heap, the address read from what it prints, its stderr logged (not discarded), and its
 * death reported through `died`, so the app can stop with a message that names the cause
 * instead of answering every request with a 500. The child exits when our stdin pipe closes, so
 * it never outlives this process; `stop()` ends it earlier.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseLockedError, DatabaseUnavailableError } from '../../errors';
import { javaLogWriter, type JavaLogSink } from './javaLog';
import { describeLockHolder } from './lockHolder';
import { launcherDir, prepareLauncher } from './launcherBuild';

export { prepareLauncher, resolveClasspath } from './launcherBuild';

export interface JavaServerOptions {
  projectRoot: string;
  /** Where the class-path cache lives (and the H2 file, when `h2File` is relative). */
  cacheDir: string;
  /** Omitted: in-memory backend. */
  h2File?: string;
  heap: string;
  startTimeoutMs?: number;
  /** Stock mongo-java-server without our secondary indexes: only for benchmark baselines. */
  stock?: boolean;
  /** Receives the JVM's stderr, one record per event (javaLog.ts). */
  log?: JavaLogSink;
}

export interface RunningServer {
  uri: string;
  pid: number;
  stop(): Promise<void>;
  /** Resolves, with the reason, if the server exits without `stop()` having been called. */
  died?: Promise<string>;
}

/** How much of the JVM's last output a death report quotes. */
const TAIL = 2000;

export async function startJavaServer(opts: JavaServerOptions): Promise<RunningServer> {
  const classpath = await prepareLauncher(opts.projectRoot, opts.cacheDir);
  const backend = opts.stock ? ['--stock'] : opts.h2File ? ['--h2', opts.h2File] : ['--memory'];
  if (opts.h2File) ownerOnly(opts.h2File);
  const child = spawn(
    'java',
    [
      `-Xmx${opts.heap}`,
      // Out of heap, a JVM limps on with every request failing: die instead, so we notice.
      '-XX:+ExitOnOutOfMemoryError',
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      // Marks our JVMs, so CI can tell that none outlived the tests.
      `-Dsegments.launcher=${launcherDir(opts.projectRoot)}`,
      '-cp',
      classpath,
      'segments.mongo.Launcher',
      ...backend,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let tail = '';
  child.stderr?.on('data', (d: Buffer) => {
    tail = (tail + d.toString()).slice(-TAIL);
  });
  const address = await readAddress(child, opts, () => tail);
  let stopping = false;
  const died = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      if (stopping) return;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      resolve(
        `the embedded database (mongo-java-server, pid ${child.pid}) ${how}${tail ? `; its last output: ${tail.trim()}` : ''}`,
      );
    });
  });
  if (opts.log) logLines(child, opts.log);
  return {
    uri: `mongodb://${address}/`,
    pid: child.pid ?? -1,
    died,
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
  };
}

/**
 * The H2 file holds personal data and key hashes: readable by this user only (0600, like
 * database.json), whatever the umask. MVStore opens an existing file in place, and an empty one
 * as a new store, so creating it here first is enough; a file an older version left 0644 is
 * narrowed at the next start.
 */
function ownerOnly(h2File: string): void {
  fs.mkdirSync(path.dirname(h2File), { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(h2File, 'a', 0o600));
  fs.chmodSync(h2File, 0o600);
}

function logLines(child: ChildProcess, log: JavaLogSink): void {
  const writer = javaLogWriter(log, child.pid);
  child.stderr?.on('data', (d: Buffer) => writer.push(d.toString()));
  child.stderr?.on('end', () => writer.end());
}

function readAddress(child: ChildProcess, opts: JavaServerOptions, tail: () => string): Promise<string> {
  const timeoutMs = opts.startTimeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    let out = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      const err = tail();
      // A file held by another JVM is not a missing Java: say who holds it.
      if (opts.h2File && /file is locked/i.test(err)) {
        reject(new DatabaseLockedError(describeLockHolder(opts.h2File)));
        return;
      }
      reject(new DatabaseUnavailableError(`mongo-java-server did not start: ${why}${err ? `\n${err}` : ''}`));
    };
    const timer = setTimeout(() => fail(`no address within ${timeoutMs} ms`), timeoutMs);
    child.on('error', (e) => fail(e.message));
    // 'close' rather than 'exit': by then all of stderr has been read.
    child.on('close', (code) => fail(`exited with code ${code}`));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /LISTENING (\S+)/.exec(out);
      if (!m?.[1]) return;
      clearTimeout(timer);
      child.removeAllListeners('close');
      child.removeAllListeners('error');
      child.on('error', () => undefined); // reported through 'exit'
      child.stdout?.removeAllListeners('data');
      child.stdout?.resume();
      resolve(m[1]);
    });
  });
}

/** Closing stdin asks the launcher to exit cleanly (its shutdown hook flushes H2); SIGKILL after 10 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.stdin?.end();
  });
}
