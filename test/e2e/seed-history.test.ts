/**
 * The demo data tells a story over 90 days: after `seedDemo`, the app's reports show every demo
 * segment and the list with a size history that moves (not flat, then one jump today).
 */
import pino from 'pino';
import { MongoClient } from 'mongodb';
import type { App } from '../../src/app';
import { DEMO_LIST, DEMO_SEGMENTS } from '../../src/seed/demo';
import { seedDemo } from '../../src/seed/seed';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';
import { testServerUri } from '../support/db';

jest.setTimeout(180_000);

let app: App;
const api = apiClient(() => app);

beforeAll(async () => {
  // The seed replays its days before any server runs, as `npm run seed` does (startTestApp's database).
  const client = await MongoClient.connect(testServerUri());
  try {
    await seedDemo(client.db(`e2e_seedhistory_${process.pid}`), 'default', 200, pino({ level: 'silent' }));
  } finally {
    await client.close();
  }
  app = await startTestApp('seedhistory', { ADMIN_API_KEY: TEST_API_KEY });
});
afterAll(() => stopTestApp(app));

test('every demo segment and the list has a 90-day history with more than one size', async () => {
  const res = await api('GET', '/reports/segments?days=90');
  expect(res.status).toBe(200);
  const reports = res.body.segments as { name: string; size: number; history: { size: number }[] }[];
  expect(reports.map((r) => r.name).sort()).toEqual(
    [...DEMO_SEGMENTS.map((s) => s.name), DEMO_LIST.name].sort(),
  );
  for (const r of reports) {
    expect(r.history).toHaveLength(90);
    const sizes = new Set(r.history.map((p) => p.size));
    // Named, so a failure says which chart is flat; not "empty for 89 days, then everyone today".
    const daysWithMembers = r.history.filter((p) => p.size > 0).length;
    expect({ name: r.name, moves: sizes.size > 1, daysWithMembers: daysWithMembers > 10 }).toEqual({
      name: r.name,
      moves: true,
      daysWithMembers: true,
    });
  }
});
