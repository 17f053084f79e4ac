/** The app in-process on a loopback port: /healthz and the error handler over real HTTP. */
import type { App } from '../../src/app';
import { startTestApp, stopTestApp } from '../support/app';
import { ValidationError } from '../../src/errors';

let app: App;
let base: string;
beforeAll(async () => {
  app = await startTestApp('http');
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
