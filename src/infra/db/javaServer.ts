/**
 * Starts mongo-java-server through our launcher (tools/mongo-java-server): resolves the pinned
 * class path with Maven once and caches it, compiles our sources (the launcher and the secondary
 * indexes) once per content into the cache, runs the launcher with a bounded heap, and reads the
 * address it prints. The child exits when our stdin pipe closes, so it
 * never outlives this process; `stop()` ends it earlier.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { DatabaseUnavailableError } from '../../errors';

const exec = promisify(execFile);

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
}

export interface RunningServer {
  uri: string;
  pid: number;
  stop(): Promise<void>;
}

/** Resolves the launcher's class path with Maven, cached per pom.xml content. */
export async function resolveClasspath(projectRoot: string, cacheDir: string): Promise<string> {
  const dir = launcherDir(projectRoot);
  const pom = fs.readFileSync(path.join(dir, 'pom.xml'));
  const key = createHash('sha256').update(pom).digest('hex').slice(0, 16);
  // Absolute: Maven resolves a relative output file against the pom's folder, not our cwd.
  const cacheFile = path.resolve(cacheDir, `mongo-java-server-${key}.classpath`);
  const cached = readIfComplete(cacheFile);
  if (cached) return cached;
  fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    await exec(
      'mvn',
      ['-q', '-f', path.join(dir, 'pom.xml'), 'dependency:build-classpath', `-Dmdep.outputFile=${tmp}`],
      {
        timeout: 600_000,
      },
    );
  } catch (err) {
    throw new DatabaseUnavailableError(
      `Maven could not resolve mongo-java-server's class path: ${firstLine(err)}`,
    );
  }
  // rename is atomic: two test runs resolving at once both end with a whole file.
  fs.renameSync(tmp, cacheFile);
  return fs.readFileSync(cacheFile, 'utf8').trim();
}

function readIfComplete(file: string): string | undefined {
  if (!fs.existsSync(file)) return undefined;
  const cp = fs.readFileSync(file, 'utf8').trim();
  return cp.split(path.delimiter).every((jar) => fs.existsSync(jar)) && cp ? cp : undefined;
}

/**
 * The class path plus our compiled classes. javac runs once per content of the sources and the
 * class path (a few seconds); the result is renamed into place, so concurrent runs both end with
 * a whole directory.
 */
export async function prepareLauncher(projectRoot: string, cacheDir: string): Promise<string> {
  const classpath = await resolveClasspath(projectRoot, cacheDir);
  const srcDir = path.join(launcherDir(projectRoot), 'src');
  const sources = listJava(srcDir);
  const hash = createHash('sha256').update(classpath);
  for (const f of sources) hash.update(f).update(fs.readFileSync(f));
  const out = path.resolve(cacheDir, `mongo-java-server-classes-${hash.digest('hex').slice(0, 16)}`);
  if (!fs.existsSync(out)) {
    const tmp = `${out}.${process.pid}.tmp`;
    fs.rmSync(tmp, { recursive: true, force: true });
    try {
      await exec('javac', ['-nowarn', '-d', tmp, '-cp', classpath, ...sources], { timeout: 300_000 });
    } catch (err) {
      throw new DatabaseUnavailableError(
        `javac could not compile the mongo-java-server launcher: ${firstLine(err)}`,
      );
    }
    try {
      fs.renameSync(tmp, out);
    } catch (err) {
      // Another process finished first: its copy is as good as ours.
      fs.rmSync(tmp, { recursive: true, force: true });
      if (!fs.existsSync(out)) throw err;
    }
  }
  return `${classpath}${path.delimiter}${out}`;
}

const launcherDir = (projectRoot: string) => path.join(projectRoot, 'tools', 'mongo-java-server');

function listJava(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.java'))
    .map((f) => path.join(dir, f))
    .sort();
}

export async function startJavaServer(opts: JavaServerOptions): Promise<RunningServer> {
  const classpath = await prepareLauncher(opts.projectRoot, opts.cacheDir);
  const backend = opts.stock ? ['--stock'] : opts.h2File ? ['--h2', opts.h2File] : ['--memory'];
  if (opts.h2File) fs.mkdirSync(path.dirname(opts.h2File), { recursive: true });
  const child = spawn(
    'java',
    [
      `-Xmx${opts.heap}`,
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
  const address = await readAddress(child, opts.startTimeoutMs ?? 60_000);
  return { uri: `mongodb://${address}/`, pid: child.pid ?? -1, stop: () => stopChild(child) };
}

function readAddress(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(
        new DatabaseUnavailableError(
          `mongo-java-server did not start: ${why}${err ? `\n${err.slice(-2000)}` : ''}`,
        ),
      );
    };
    const timer = setTimeout(() => fail(`no address within ${timeoutMs} ms`), timeoutMs);
    child.on('error', (e) => fail(e.message));
    child.on('exit', (code) => fail(`exited with code ${code}`));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /LISTENING (\S+)/.exec(out);
      if (!m?.[1]) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout?.removeAllListeners('data');
      child.stdout?.resume();
      child.stderr?.removeAllListeners('data');
      child.stderr?.resume();
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

function firstLine(err: unknown): string {
  const e = err as { stderr?: string; message?: string };
  return (e.stderr || e.message || String(err)).trim().split('\n')[0] ?? '';
}
