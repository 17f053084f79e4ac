/**
 * The documentation stays true to the code and readable from a clone: the README is a short front
 * door; every environment variable the code reads is in docs/configuration.md's table (and in
 * `.env.example`), and the table names nothing the code does not read; the pages point nowhere
 * outside the repository and carry no tracker numbers; docs/api.md is what `npm run docs:api`
 * writes from the served OpenAPI document.
 */
import fs from 'node:fs';
import path from 'node:path';
import { apiDocument } from '../../src/api/openapi';
import { apiMarkdown } from '../../src/api/openapi/markdown';
import { API_DOC } from '../../src/cli/docsApi';

const ROOT = path.join(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    const rel = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(rel);
    return /\.(ts|js|mjs)$/.test(d.name) ? [rel] : [];
  });
}

/** Every variable the product's code reads: the config schema, and `process.env.X` anywhere else. */
function variablesRead(): Set<string> {
  const names = new Set<string>();
  const config = read('src/config.ts');
  const schema = /const schema = z\.object\(\{([\s\S]*?)\n\}\);/.exec(config)?.[1] ?? '';
  for (const m of schema.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)) names.add(m[1]!);
  // test/bench is an npm script too; test/support is the test harness's own plumbing.
  for (const file of ['src', 'bot', 'flows', 'test/bench'].flatMap(sourceFiles)) {
    const text = read(file);
    for (const m of text.matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]+)|\[['"]([A-Z][A-Z0-9_]+)['"]\])/g))
      names.add((m[1] ?? m[2])!);
  }
  return names;
}

function configurationTable(): Set<string> {
  return new Set(
    [...read('docs/configuration.md').matchAll(/^\| `([A-Z][A-Z0-9_]+)` +\|/gm)].map((m) => m[1]!),
  );
}

/** The README, every page under docs/ and the embedded database's README. */
function pages(): string[] {
  const docs = fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs, 'tools/mongo-java-server/README.md'];
}

test('the README is at most 15 KB and still names the test command', () => {
  expect(fs.statSync(path.join(ROOT, 'README.md')).size).toBeLessThanOrEqual(15 * 1024);
  expect(read('README.md')).toMatch(/^npm test\s/m);
});

test('every variable the code reads is in the configuration table, and the table has no others', () => {
  const read = variablesRead();
  const table = configurationTable();
  expect(read.size).toBeGreaterThan(30);
  expect([...read].filter((v) => !table.has(v)).sort()).toEqual([]);
  expect([...table].filter((v) => !read.has(v)).sort()).toEqual([]);
});

test('.env.example lists every variable', () => {
  const example = read('.env.example');
  const missing = [...variablesRead()].filter((v) => !new RegExp(`^#? ?${v}=`, 'm').test(example));
  expect(missing).toEqual([]);
});

test('no page points outside the repository or to tracker numbers', () => {
  const problems: string[] = [];
  for (const page of pages()) {
    const text = read(page);
    const found = [
      ...text.matchAll(/\b[Ii]ssues? #?\d+|(?<![\w/])#\d{1,4}\b|\.\.\/shared|\/work\/|DESIGN(\.md| §)/g),
    ].map((m) => m[0]);
    // Relative links must stay inside the repository.
    for (const m of text.matchAll(/\]\(([^)#\s]+)[^)]*\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue;
      const resolved = path.resolve(path.dirname(path.join(ROOT, page)), target);
      if (!resolved.startsWith(`${ROOT}${path.sep}`)) found.push(target);
    }
    problems.push(...found.map((f) => `${page}: ${f}`));
  }
  expect(problems).toEqual([]);
});

test(`${API_DOC} is what npm run docs:api writes from the served OpenAPI document`, () => {
  const { version } = JSON.parse(read('package.json')) as { version: string };
  // When this fails after a route or schema change: run `npm run docs:api` and commit the file.
  expect(read(API_DOC)).toBe(apiMarkdown(apiDocument(version)));
});
