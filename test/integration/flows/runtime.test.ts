/**
 * The workflow runtime on a real database with real Agenda timers: re-entry policies and dwell
 * as a table, one instance per transition and per (flow, contact) under redelivery and races,
 * timers coalesced into shared tick jobs (and still run when a tick is lost), a dispatcher batch
 * started in bulk (policy, deleted contact and a same-batch exit still apply per instance), cancellation
 * removing the timer, and a step whose effect ran but whose record did not
 * complete (a crash in between) coming back as `unknown`, never sent again.
 */
import { openTestDb, type TestDb } from '../../support/db';
import { FlowHarness, WS } from '../../support/flowHarness';
import { eventually } from '../../support/flowWait';
import pino from 'pino';
import { agendaTimers, FLOW_TICK_JOB, TICK_MS } from '../../../src/infra/flows/jobs';
import { entryId } from '../../../src/infra/flows/store';

const DAY = 86_400_000;
// 1 day of flow time → 40 ms.
const SCALE = 40 / DAY;
let tdb: TestDb;
let h: FlowHarness;

beforeAll(async () => {
  tdb = await openTestDb('flows');
  h = new FlowHarness();
  await h.start(tdb.db, { timeScale: SCALE });
});
afterAll(async () => {
  await h?.stop();
  await tdb?.close();
});

type Step = ['enter' | 'exit' | 'wait', number?];
test.each<[string, Record<string, unknown>, Step[], string[]]>([
  [
    'once: a second entry is skipped',
    { reentry: 'once' },
    [['enter'], ['exit'], ['wait', 10 * DAY], ['enter']],
    ['done', 'skipped'],
  ],
  [
    'every: each entry after the last ended starts one',
    { reentry: 'every' },
    [['enter'], ['exit'], ['enter']],
    ['done', 'done'],
  ],
  // The cooldown is scaled like every wait (FLOW_TIME_SCALE): 70 days are 2.8 s here.
  [
    'cooldown 70d: again after 80 scaled days',
    { reentry: 'cooldown', cooldown: '70d' },
    [['enter'], ['exit'], ['wait', 80 * DAY], ['enter']],
    ['done', 'done'],
  ],
  [
    'cooldown 70d: skipped after 30 scaled days',
    { reentry: 'cooldown', cooldown: '70d' },
    [['enter'], ['exit'], ['wait', 30 * DAY], ['enter']],
    ['done', 'skipped'],
  ],
  ['dwell: still in after the dwell → starts', { reentry: 'every', dwell: 12 }, [['enter']], ['done']],
  [
    'dwell: left before it ended → dropped',
    { reentry: 'every', dwell: 12 },
    [['enter'], ['exit']],
    ['dropped'],
  ],
  [
    'dwell: flapping in and out → one dropped, nothing else',
    { reentry: 'every', dwell: 12 },
    [['enter'], ['exit'], ['enter'], ['exit']],
    ['dropped'],
  ],
])('%s', async (name, binding, steps, statuses) => {
  const seg = h.addSegment(`S ${name}`);
  await h.bind('vip-onboarding', seg, {
    reentry:
      binding.reentry === 'cooldown'
        ? { kind: 'cooldown', ms: 70 * DAY }
        : { kind: binding.reentry as 'once' | 'every' },
    dwellMs: binding.dwell ? (binding.dwell as number) * DAY : 0, // 480 ms real: the moves below land within it
  });
  const id = `c-${seg._id}`;
  h.addContact(id);
  for (const [what, ms] of steps) {
    // Flow time passes at the time scale, as it does in a scaled demo on the system clock.
    if (what === 'wait') h.offsetMs += (ms ?? 0) * SCALE;
    else {
      await h.move(id, seg, what === 'enter' ? 'entered' : 'exited');
      await h.runtime.idle();
    }
  }
  const final = await eventually(
    () => h.instancesOf(id),
    (l) =>
      l.length === statuses.length && l.every((i) => !['pending', 'running', 'dwelling'].includes(i.status)),
  );
  expect(final.map((i) => i.status)).toEqual(statuses);
  const skipped = final.find((i) => i.status === 'skipped');
  if (skipped) expect(skipped.history.at(-1)!.detail).toMatch(/re-entry policy/);
  const messages = h.sent.filter((s) => s.contactId === id);
  expect(messages).toHaveLength(statuses.filter((s) => s === 'done').length);
});

test('a redelivered or concurrently delivered transition starts one instance', async () => {
  const seg = h.addSegment('Redelivery');
  await h.bind('welcome', seg);
  h.addContact('r1');
  const t = await h.move('r1', seg, 'entered');
  await Promise.all([h.runtime.starter.onTransition(t), h.runtime.starter.onTransition(t)]);
  // A different transition while one is running: one open instance per (flow, contact).
  await h.move('r1', seg, 'entered');
  await h.runtime.idle();
  expect(await h.instancesOf('r1')).toHaveLength(1);
  await eventually(
    () => h.sent.filter((s) => s.contactId === 'r1').length,
    (n) => n === 3,
  );
  expect(h.sent.filter((s) => s.contactId === 'r1').map((s) => s.text)).toEqual([
    'welcome-1 for r1',
    'welcome-2 for r1',
    'welcome-3 for r1',
  ]);
});

test('timers due in the same tick share one Agenda job; other instants get their own', async () => {
  const timers = agendaTimers(h.scheduler.agenda, pino({ level: 'silent' }));
  const base = Math.ceil(Date.now() / TICK_MS) * TICK_MS + 3_600_000; // an hour away: nothing runs
  const data = (i: number) => ({ workspaceId: WS, instanceId: `x${i}`, sendId: 's', rev: 1 });
  for (let i = 0; i < 50; i++) await timers.schedule(new Date(base - (i % TICK_MS)), data(i));
  await timers.schedule(new Date(base + 1), data(50));
  const jobs = await tdb.db
    .collection('agendaJobs')
    .find({ name: FLOW_TICK_JOB, 'data.at': { $gte: base - TICK_MS } })
    .toArray();
  expect(jobs.map((j) => (j.data as { at: number }).at).sort()).toEqual([base, base + TICK_MS]);
  await tdb.db
    .collection('agendaJobs')
    .deleteMany({ name: FLOW_TICK_JOB, 'data.at': { $gte: base - TICK_MS } });
});

test('a timer whose tick job was lost still runs (the recovery pass wakes due instances)', async () => {
  const seg = h.addSegment('Lost tick');
  await h.bind('welcome', seg);
  h.addContact('lt1');
  // Stop Agenda from running ticks, so only the recovery loop can wake the instance.
  await h.scheduler.agenda.stop();
  try {
    await h.move('lt1', seg, 'entered');
    await h.runtime.idle();
    await tdb.db.collection('agendaJobs').deleteMany({ name: FLOW_TICK_JOB });
    // The welcome flow's second message comes after a wait (1 day = 40 ms here).
    const sent = await eventually(
      () => h.sent.filter((m) => m.contactId === 'lt1'),
      (list) => list.length >= 2,
      5000,
    );
    expect(sent.length).toBeGreaterThanOrEqual(2);
  } finally {
    await h.scheduler.agenda.start();
  }
});

test('cancelling an instance removes its timer; the next message never goes', async () => {
  // Its own database and a slower clock (1 day → 2 s), so the cancel surely lands mid-wait.
  const slow = await openTestDb('flows_slow');
  const h2 = new FlowHarness();
  await h2.start(slow.db, { timeScale: 2000 / DAY });
  try {
    const seg = h2.addSegment('Cancel');
    await h2.bind('reengagement', seg, { stopOnExit: true });
    h2.addContact('k1');
    h2.offsetMs = Date.parse('2026-03-02T10:00:01Z') - Date.now(); // 10:00 UTC is a day away
    await h2.move('k1', seg, 'entered');
    await h2.runtime.idle();
    const [inst] = await h2.instancesOf('k1');
    expect(inst!.timers).toHaveLength(1);
    // The timer is a shared tick job at its due instant (rounded up to TICK_MS), not one per instance.
    const due = inst!.timers[0]!.dueAt.getTime();
    const tick = Math.ceil(due / TICK_MS) * TICK_MS;
    const ticks = await slow.db.collection('agendaJobs').find({ name: FLOW_TICK_JOB }).toArray();
    expect(ticks.map((j) => (j.data as { at: number }).at)).toContain(tick);
    await h2.move('k1', seg, 'exited');
    const [after] = await h2.instancesOf('k1');
    expect(after).toMatchObject({ status: 'cancelled', timers: [], nextWakeAt: null });
    await new Promise((r) => setTimeout(r, 2200)); // past the wait until 10:00
    expect(h2.sent).toEqual([]);
  } finally {
    await h2.stop();
    await slow.close();
  }
});

test('an effect whose record never completed (crash between send and record) is `unknown`, not sent again', async () => {
  const seg = h.addSegment('Crash');
  await h.bind('vip-onboarding', seg);
  h.addContact('x1');
  const t = await h.move('x1', seg, 'entered');
  await h.runtime.idle();
  const instanceId = (await h.instancesOf('x1'))[0]!._id;
  expect(instanceId).toContain(t._id);
  expect(h.sent.filter((s) => s.contactId === 'x1')).toHaveLength(1);
  // Put back the state a process killed right after the send leaves: the snapshot still at rev 0,
  // the message's record `started`, the next effect not begun. (The e2e crash test kills for real.)
  await h.runtime.c.instances.updateOne(
    { _id: instanceId },
    { $set: { status: 'running', openSlot: 'open', rev: 0, snapshot: null, history: [] } },
  );
  await h.runtime.c.steps.updateOne(
    { _id: `${instanceId}:0:0` },
    { $set: { status: 'started', finishedAt: null } },
  );
  await h.runtime.c.steps.deleteOne({ _id: `${instanceId}:0:1` });
  const before = h.sent.length;
  await h.runtime.stepper.start(WS, instanceId);
  expect(h.sent.length).toBe(before);
  const steps = await h.runtime.c.steps.find({ instanceId }).sort({ _id: 1 }).toArray();
  expect(steps.map((s) => [s.action, s.status])).toEqual([
    ['sendMessage', 'unknown'],
    ['setCustom', 'done'],
  ]);
  expect(h.contacts.get('x1')!.custom.vipOnboarded).toBe(true);
  const inst = (await h.instancesOf('x1'))[0]!;
  expect(inst.status).toBe('done');
  expect(inst.history.map((e) => e.outcome ?? e.kind)).toEqual(['unknown', 'done', 'done']);
});

test('a dispatcher batch: an exit after an entry in the same batch stops the instance that entry started', async () => {
  const seg = h.addSegment('Same batch');
  await h.bind('welcome', seg, { reentry: { kind: 'every' }, stopOnExit: true });
  h.addContact('sb1');
  const enter = h.transition('sb1', seg, 'entered');
  const exit = h.transition('sb1', seg, 'exited');
  await h.runtime.starter.onTransitions([enter, exit]);
  await h.runtime.idle();
  const [inst, ...more] = await h.instancesOf('sb1');
  expect(more).toHaveLength(0);
  expect(inst?.status).toBe('cancelled');
  expect(h.sent.filter((s) => s.contactId === 'sb1')).toHaveLength(0);
});

test('300 entries in one batch: admitted and started together, each once; the policy and a deleted contact still apply per instance', async () => {
  const seg = h.addSegment('Bulk start');
  const binding = await h.bind('welcome', seg, { reentry: { kind: 'once' } });
  const ids = Array.from({ length: 300 }, (_, i) => `bulk${i}`);
  for (const id of ids) h.addContact(id);
  // Ten already had the flow once; one contact is deleted before its first step.
  await h.runtime.c.entries.insertMany(
    ids.slice(0, 10).map((id) => ({
      _id: entryId(WS, 'welcome', id),
      workspaceId: WS,
      started: 1,
      lastStartedAt: new Date(),
    })),
  );
  const ts = ids.map((id) => h.transition(id, seg, 'entered'));
  h.contacts.delete('bulk299');
  await h.runtime.starter.onTransitions(ts);
  await h.runtime.idle();
  const insts = await h.runtime.c.instances.find({ workspaceId: WS, bindingId: binding._id }).toArray();
  const by = (s: string) => insts.filter((i) => i.status === s).map((i) => i.contactId);
  expect(insts).toHaveLength(300);
  expect(by('skipped').sort()).toEqual(ids.slice(0, 10).sort());
  expect(by('failed')).toEqual(['bulk299']);
  expect([...by('running'), ...by('done')]).toHaveLength(289); // (1 day is 40 ms here: some finished)
  const first = h.sent.filter((s) => s.text.startsWith('welcome-1') && s.contactId.startsWith('bulk'));
  expect(first).toHaveLength(289);
  expect(new Set(first.map((s) => s.contactId)).size).toBe(289);
  const steps = (
    await h.runtime.c.steps.find({ instanceId: { $in: insts.map((i) => i._id) } }).toArray()
  ).filter((s) => s._id.endsWith(':0:0')); // the first steps' records
  expect(steps).toHaveLength(289);
  expect(steps.every((s) => s.status === 'sent')).toBe(true);
  const entries = await h.runtime.c.entries
    .find({ _id: { $in: ids.map((id) => entryId(WS, 'welcome', id)) } })
    .toArray();
  // 10 before + 290 admitted now (the deleted contact's start is counted at admission, then fails).
  expect(entries.filter((e) => e.started === 1)).toHaveLength(300);
});
