/** The app in-process on a loopback port: /healthz and the error handler over real HTTP. */
import fs from 'node:fs';
import os from 'node:os';
import type { App } from '../../src/app';
import { startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';
import { ValidationError } from '../../src/errors';

let app: App;
let base: string;
beforeAll(async () => {
  app = await startTestApp('http', { ADMIN_API_KEY: TEST_API_KEY });
  base = `http://127.0.0.1:${app.port}`;
  app.server.get('/boom/validation', async () => {
    throw new ValidationError('rule is wrong', { line: 1, column: 5 });
  });
  app.server.get('/boom/internal', async () => {
    throw new Error('database password is hunter2');
  });
});
afterAll(() => stopTestApp(app));

test('GET /healthz says ok for db and scheduler', async () => {
  const res = await fetch(`${base}/healthz`);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: 'ok', db: 'ok', scheduler: 'ok', version: '0.1.0' });
});

test('a named error becomes its status and {error: {code, message}}', async () => {
  const res = await fetch(`${base}/boom/validation`);
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({
    error: { code: 'VALIDATION_FAILED', message: 'rule is wrong', details: { line: 1, column: 5 } },
  });
});

test('an unexpected error is a 500 without internals', async () => {
  const res = await fetch(`${base}/boom/internal`);
  expect(res.status).toBe(500);
  const text = await res.text();
  expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: 'Internal server error' } });
  expect(text).not.toMatch(/hunter2|\.ts:\d+/);
});

test('an unknown route is a JSON 404', async () => {
  const res = await fetch(`${base}/no/such/thing`);
  expect(res.status).toBe(404);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
});

test('malformed JSON is a 400 and an oversize body a 413', async () => {
  app.server.post('/echo', async (req, res) => {
    res.send(200, req.body);
  });
  const bad = await fetch(`${base}/echo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"a":',
  });
  expect(bad.status).toBe(400);
  const big = await fetch(`${base}/echo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ a: 'x'.repeat(2_000_000) }),
  });
  expect(big.status).toBe(413);
  expect(((await big.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
});

describe('bodies are JSON only and never touch the disk (issue 16)', () => {
  // Authenticated: the API's auth runs first (pre), so an anonymous upload never gets this far.
  const AUTH = { authorization: `Bearer ${TEST_API_KEY}` };
  const uploads = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('upload_')).length;

  test.each(['/api/messages', '/api/v1/contacts'])(
    'a 3 MB multipart POST to %s is a 415 and writes nothing',
    async (p) => {
      const before = uploads();
      const form = new FormData();
      form.append('file', new Blob([Buffer.alloc(3 * 1024 * 1024, 97)]), 'big.bin');
      const res = await fetch(`${base}${p}`, { method: 'POST', body: form, headers: AUTH });
      expect(res.status).toBe(415);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(uploads()).toBe(before);
    },
  );

  test('a 2 MB body of an accepted type is a 413, a form-encoded one a 415', async () => {
    const nd = await fetch(`${base}/api/v1/contacts`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/x-ndjson' },
      body: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(nd.status).toBe(413);
    const form = await fetch(`${base}/api/v1/contacts`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=x',
    });
    expect(form.status).toBe(415);
  });
});
