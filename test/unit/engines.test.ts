/**
 * `engines` and the dependencies agree: every Node.js version `engines` allows satisfies every
 * locked package's own `engines.node`, so a clean `npm ci` on a supported Node.js warns no
 * EBADENGINE. Checked at the lowest version of each range `engines` allows.
 */
import fs from 'node:fs';
import path from 'node:path';
// semver ships with npm's dependency tree (jest, eslint and others use it).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const semver = require('semver') as {
  satisfies(v: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
};

const ROOT = path.join(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }>;
};

test('the lowest Node.js of each allowed range satisfies every locked package', () => {
  const lowest = pkg.engines.node.split('||').map((r) => semver.minVersion(r.trim())!.version);
  expect(lowest).toContain('20.19.0');
  const conflicts: string[] = [];
  for (const [name, p] of Object.entries(lock.packages)) {
    const range = !Array.isArray(p.engines) ? p.engines?.node : undefined;
    if (!name || !range || p.optional) continue;
    for (const v of lowest)
      if (!semver.satisfies(v, range))
        conflicts.push(`${name}@${p.version ?? '?'} wants node ${range}, not ${v}`);
  }
  expect(conflicts).toEqual([]);
});

test('the Node.js running the tests is one engines allows', () => {
  expect(semver.satisfies(process.version, pkg.engines.node)).toBe(true);
});
