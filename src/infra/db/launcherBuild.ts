/**
 * Builds our mongo-java-server launcher (tools/mongo-java-server): the pinned class path resolved
 * with Maven once and cached per pom.xml, and our Java sources compiled once per content.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { DatabaseUnavailableError } from '../../errors';

const exec = promisify(execFile);

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
      // The sources hold UTF-8 (comments); without -encoding javac reads them in the locale's charset,
      // and under LANG=C (a bare service environment) refuses them as US-ASCII.
      await exec('javac', ['-nowarn', '-encoding', 'UTF-8', '-d', tmp, '-cp', classpath, ...sources], {
        timeout: 300_000,
      });
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

export const launcherDir = (projectRoot: string): string =>
  path.join(projectRoot, 'tools', 'mongo-java-server');

function listJava(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.java'))
    .map((f) => path.join(dir, f))
    .sort();
}

function firstLine(err: unknown): string {
  const e = err as { stderr?: string; message?: string };
  return (e.stderr || e.message || String(err)).trim().split('\n')[0] ?? '';
}
