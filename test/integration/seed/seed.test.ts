/**
 * The demo seed: the five segments and the list exist with members that match their rules, the
 * contacts' creation spreads over the demo's 90 days, and a second run creates and applies nothing.
 */
import pino from 'pino';
import { evaluateMembership } from '../../../src/domain/membership/evaluate';
import { SegmentCatalog } from '../../../src/infra/membership/catalog';
import { SegmentRepo } from '../../../src/infra/repos/segments';
import { DEMO_LIST, DEMO_SEGMENTS } from '../../../src/seed/demo';
import { seedDemo } from '../../../src/seed/seed';
import { openTestDb, type TestDb } from '../../support/db';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb('seed');
});
afterAll(() => t.close());

test('seeding twice gives the same workspace; memberships agree with the rules', async () => {
  const log = pino({ level: 'silent' });
  const first = await seedDemo(t.db, 'demo', 150, log);
  expect(first.created).toBe(150);
  expect(first.applied).toBeGreaterThan(300);
  expect(Object.keys(first.sizes)).toEqual([...DEMO_SEGMENTS.map((s) => s.name), DEMO_LIST.name]);
  expect(first.sizes['Inactive 30 Days']).toBeGreaterThan(0);
  expect(first.sizes['VIP Customers']).toBeGreaterThan(0);

  const second = await seedDemo(t.db, 'demo', 150, log);
  expect(second).toMatchObject({ created: 0, applied: 0, sizes: first.sizes });

  // Every contact's stored memberships are what a fresh evaluation gives.
  const ws = await new SegmentCatalog(new SegmentRepo(t.db)).get('demo');
  const contacts = await t.db.collection('contacts').find({ workspaceId: 'demo' }).toArray();
  expect(contacts).toHaveLength(150);
  // Most of them joined during the demo's 90 days, spread over them (not all "today").
  const daysAgo = contacts.map((c) => (Date.now() - (c.createdAt as Date).getTime()) / 86_400_000);
  const recent = daysAgo.filter((d) => d <= 90);
  expect(recent.length).toBeGreaterThan(contacts.length / 2);
  expect(Math.max(...recent) - Math.min(...recent)).toBeGreaterThanOrEqual(80);
  for (const c of contacts) {
    const fresh = evaluateMembership(c, ws, new Date());
    expect([fresh.entered, fresh.exited]).toEqual([[], []]);
  }
  // About 10 s alone; 30 s and more on 2 busy cores (1,652 events through the real services).
}, 120_000);
