/**
 * The console's files over HTTP (the browser tests in test/browser drive the pages): `GET /` and
 * its modules under a Content-Security-Policy that allows this server only, Web Chat's bundle
 * from node_modules, and nothing outside the console folder (no path tricks).
 */
import type { App } from '../../src/app';
import { startTestApp, stopTestApp } from '../support/app';

let app: App;
const get = (path: string) => fetch(`http://127.0.0.1:${app.port}${path}`);

beforeAll(async () => {
  app = await startTestApp('console');
});
afterAll(async () => {
  if (app) await stopTestApp(app);
});

test('GET / is the console, with a self-only Content-Security-Policy', async () => {
  const res = await get('/');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'.*connect-src 'self'/);
  const html = await res.text();
  expect(html).toContain('<script type="module" src="/console/js/app.js">');
  // Nothing is loaded from elsewhere.
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
});

test('modules, styles and the Web Chat bundle are served from this server', async () => {
  for (const [path, type] of [
    ['/console/js/app.js', /^text\/javascript/],
    ['/console/style.css', /^text\/css/],
    ['/console/vendor/webchat.js', /^text\/javascript/],
  ] as const) {
    const res = await get(path);
    expect([path, res.status, res.headers.get('content-type')]).toEqual([
      path,
      200,
      expect.stringMatching(type),
    ]);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(500);
  }
});

test('only console files: unknown names and path tricks are 404', async () => {
  for (const path of [
    '/console/nope.js',
    '/console/js/../../package.json',
    '/console/%2e%2e/package.json',
    '/console/..%2Fpackage.json',
    '/console/js/app.ts',
    '/console/vendor/other.js',
  ]) {
    const res = await get(path);
    expect([path, res.status]).toEqual([path, 404]);
  }
});
