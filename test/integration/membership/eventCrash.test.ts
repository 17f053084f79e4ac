/**
 * Issue 15, fix 1: a real process applying events is SIGKILLed at many points; after the
 * production recovery passes (pending events, stale outboxes, the sweeper) no membership is
 * wrong. Before the fix an event applied and marked `applied` whose contact had not yet been
 * re-evaluated stayed wrong forever (nothing would look at the contact again).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createCoreServices, type CoreServices } from '../../../src/compose/core';
import { flushStale } from '../../../src/infra/membership/flush';
import { expectConverged } from '../../support/convergence';
import { membershipFixture, WS, type Fixture } from '../../support/membershipFixture';

jest.setTimeout(120_000);
const WORKER = path.resolve(__dirname, '../../../dist/test/support/eventWorker.js');
// Milliseconds after the worker says "ready" (its first events take ~150 ms on a loaded machine).
const KILL_DELAYS = [150, 250, 350, 500, 700, 900];
const PER_ROUND = 200;

let f: Fixture;
let core: CoreServices;
beforeAll(async () => {
  f = await membershipFixture();
  core = await createCoreServices(f.t.db, { listener: f.membership.engine, clock: f.clock.now });
});
afterAll(() => f.close());

async function killAfter(prefix: string, delayMs: number): Promise<void> {
  const child = spawn(process.execPath, [WORKER, f.t.uri, f.t.dbName, prefix, String(PER_ROUND)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    void exited.then(() => reject(new Error(`worker exited before ready: ${err}`)));
  });
  await new Promise((r) => setTimeout(r, delayMs));
  child.kill('SIGKILL');
  await exited;
}

/** What the server's loops do after a crash, run to the end. */
async function recover(): Promise<void> {
  await core.events.applyPendingEvents(0);
  // The dead process's short leases (outbox flush) expire with time; do not wait for them.
  await f.membership.collections.contacts.updateMany({}, { $set: { flushLockUntil: null } });
  await flushStale(f.membership.collections, 10_000);
  f.clock.offsetMs += 60_000; // past any re-evaluation marker, as the sweeper would be in a minute
  while ((await f.membership.sweep()) > 0) {
    // until nothing is due
  }
  await flushStale(f.membership.collections, 10_000);
}

test('SIGKILL at many points while events are applied: no membership stays wrong', async () => {
  const vip = await f.segments.create(WS, { name: 'VIP', rule: 'lifetimeValue > 5000' }, 't');
  const template = await f.insertContact({ name: 'template' });
  const prefixes = KILL_DELAYS.map((_, r) => `r${r}`);
  await f.membership.collections.contacts.insertMany(
    prefixes.flatMap((prefix) =>
      Array.from({ length: PER_ROUND }, (_, i) => ({
        ...template,
        _id: `${prefix}-${String(i).padStart(5, '0')}`,
      })),
    ),
  );
  await f.rebuildAll();

  const wrongPerRound: number[] = [];
  let appliedTotal = 0;
  for (const [r, delay] of KILL_DELAYS.entries()) {
    await killAfter(prefixes[r]!, delay);
    await recover();
    const docs = await f.membership.collections.contacts
      .find({ workspaceId: WS, _id: { $regex: `^${prefixes[r]}-` } })
      .toArray();
    appliedTotal += docs.filter((d) => d.lifetimeValue > 5000).length;
    wrongPerRound.push(
      docs.filter((d) => d.lifetimeValue > 5000 !== d.segments.some((s) => s.segmentId === vip._id)).length,
    );
  }
  expect(wrongPerRound).toEqual(KILL_DELAYS.map(() => 0));
  // The kills really landed mid-stream: some events were applied, not all of them.
  expect(appliedTotal).toBeGreaterThan(0);
  expect(appliedTotal).toBeLessThan(KILL_DELAYS.length * PER_ROUND);
  await expectConverged(f);
});
