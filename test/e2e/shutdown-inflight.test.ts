/**
 * Issue 16 (5): SIGTERM while a 1,000-event batch is in flight. The server stops accepting,
 * lets the request finish (every event applied and answered), then exits 0; before, the client's
 * connection was reset and the process exited 1 although most events had been applied.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMain, type Started } from '../support/processes';

jest.setTimeout(120_000);

const KEY = 'shutdown-test-key-0123456789';
let dataDir: string;
let s: Started | undefined;
beforeAll(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-drain-'))));
afterAll(() => {
  s?.child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const env = () => ({
  DB_ENGINE: 'java-server',
  DATA_DIR: dataDir,
  PORT: '0',
  JAVA_SERVER_HEAP: '256m',
  ADMIN_API_KEY: KEY,
});
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

async function postEvents(base: string, events: unknown[]) {
  const res = await fetch(`${base}/events`, { method: 'POST', headers, body: JSON.stringify({ events }) });
  expect(res.status).toBe(200);
  return (await res.json()) as { results: { status: string }[]; summary: Record<string, number> };
}

test('a batch in flight at SIGTERM is answered item by item; exit 0; resending completes it', async () => {
  s = await startMain(env());
  let base = `http://127.0.0.1:${s.port}/api/v1`;
  const created = await fetch(`${base}/contacts`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'Drain' }),
  });
  const contact = (await created.json()) as { _id: string };
  const events = Array.from({ length: 1000 }, (_, i) => ({
    eventId: `drain-${i}`,
    type: 'purchase',
    contactId: contact._id,
    data: { amount: 1, currency: 'EUR' },
  }));
  const inFlight = postEvents(base, events);
  await new Promise((r) => setTimeout(r, 500));
  const killedAt = Date.now();
  s.child.kill('SIGTERM');
  const first = await inFlight;
  expect(first.results).toHaveLength(1000);
  const { applied = 0, notProcessed = 0 } = first.summary;
  expect(applied).toBeGreaterThan(0);
  expect(applied + notProcessed).toBe(1000);
  expect(await s.exited).toBe(0);
  expect(Date.now() - killedAt).toBeLessThan(15_000);

  // What was answered `applied` is applied; the rest goes through when sent again.
  s = await startMain(env());
  base = `http://127.0.0.1:${s.port}/api/v1`;
  const again = await postEvents(base, events);
  expect(again.summary).toMatchObject({ applied: notProcessed, duplicate: applied });
  const after = (await (await fetch(`${base}/contacts/${contact._id}`, { headers })).json()) as {
    purchaseCount: number;
  };
  expect(after.purchaseCount).toBe(1000);
  s.child.kill('SIGTERM');
  expect(await s.exited).toBe(0);
});
