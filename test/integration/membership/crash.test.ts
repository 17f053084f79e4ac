/**
 * A real engine process SIGKILLed mid-rebuild, then a fresh process resumes from the persisted
 * position: memberships converge, with no duplicate and no missing transition.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { flushStale } from '../../../src/infra/membership/flush';
import { expectConverged } from '../../support/convergence';
import { DAY, membershipFixture, WS, type Fixture } from '../../support/membershipFixture';

jest.setTimeout(90_000);
const WORKER = path.resolve(__dirname, '../../../dist/test/support/rebuildWorker.js');

let f: Fixture;
beforeAll(async () => {
  f = await membershipFixture();
});
afterAll(() => f.close());

function worker(batch: number) {
  const child = spawn(process.execPath, [WORKER, f.t.uri, f.t.dbName, String(batch)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => err };
}

test('kill -9 during a rebuild, restart, converge', async () => {
  const template = await f.insertContact({ name: 'template' });
  const now = f.clock.now().getTime();
  await f.membership.collections.contacts.insertMany(
    Array.from({ length: 4000 }, (_, i) => ({
      ...template,
      _id: `c${String(i).padStart(5, '0')}`,
      // Half-day offsets keep contacts clear of the 7-day boundary during the test.
      createdAt: new Date(now - (i % 14) * DAY - DAY / 2),
      lifetimeValue: i,
    })),
  );
  const seg = await f.segments.create(
    WS,
    { name: 'Recent', rule: 'createdAt within last 7 days AND lifetimeValue > 100' },
    't',
  );

  const first = worker(50);
  const rebuilds = f.t.db.collection<{ afterId: string | null; done: boolean }>('segment_rebuilds');
  const deadline = Date.now() + 60_000;
  // Kill it once it has persisted progress but before it is done.
  for (;;) {
    const job = await rebuilds.findOne({});
    if (job?.afterId && !job.done) break;
    if (job?.done || Date.now() > deadline)
      throw new Error(`rebuild finished before it could be killed: ${first.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  first.child.kill('SIGKILL');
  await first.exited;
  const partial = (await f.memberIds(seg._id)).length;
  const expected = (await f.membership.collections.contacts.find({ workspaceId: WS }).toArray())
    .filter((c) => c.createdAt.getTime() >= now - 7 * DAY && c.lifetimeValue > 100)
    .map((c) => c._id)
    .sort();
  expect(partial).toBeLessThan(expected.length);

  // The killed process's lease would expire after 30 s; expire it now instead of waiting.
  await rebuilds.updateMany({}, { $set: { leaseUntil: new Date(0) } });
  const second = worker(500);
  expect(await second.exited).toBe(0);
  // The kill may also have stranded one contact's outbox under the dead process's 15 s flush
  // lease; expire it and run the recovery pass, as the outbox loop does in production.
  await f.membership.collections.contacts.updateMany({}, { $set: { flushLockUntil: null } });
  await flushStale(f.membership.collections);
  expect(await f.memberIds(seg._id)).toEqual(expected);
  await expectConverged(f);
});
