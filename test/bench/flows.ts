/**
 * `npm run bench -- --only=flows` (issue 11): N contacts (default 10,000) enter a bound segment at
 * once. Their transitions go through the real dispatcher to the flow runtime (welcome sequence,
 * 1 day scaled to DAY_SCALED_MS); measured: transition → instance started (first message sent,
 * snapshot persisted) and a timer's due instant → its step ran (the second message). Side by
 * side, the same work as plain Agenda jobs (one per contact, no XState, no step records). The
 * effect ports record instead of sending (the bot is not what is measured). Last, the floor: the
 * same starts' database writes in bulk with no runtime (flowsFloor.ts).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MongoClient, type Db } from 'mongodb';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { provideDatabase } from '../../src/infra/db/chain';
import { Dispatcher } from '../../src/infra/membership/dispatcher';
import { membershipCollections } from '../../src/infra/membership/store';
import { createScheduler } from '../../src/infra/scheduler';
import { FlowHarness, WS } from '../support/flowHarness';
import type { BenchOptions } from './index';
import { fmt, line, ms, summarize, type Summary } from './stats';
import { dropAndClose } from './benchApp';
import { flowWriteFloor } from './flowsFloor';

const DAY = 86_400_000;
const DAY_SCALED_MS = 30_000;
const BUDGET_MS = 300_000;

interface Result {
  started: Summary;
  timer: Summary;
  wallMs: number;
}

/** Writes N `entered` transitions (positions 1..N, all at `at`) and dispatches them as in production. */
async function enterAll(db: Db, n: number, segmentId: string, at: Date): Promise<Dispatcher> {
  const c = membershipCollections(db);
  const docs = Array.from({ length: n }, (_, i) => ({
    _id: `b${i}:1`,
    workspaceId: WS,
    contactId: `b${i}`,
    segmentId,
    kind: 'entered' as const,
    at,
    cause: 'contact' as const,
    seq: 1,
    position: i + 1,
  }));
  for (let i = 0; i < n; i += 1000) await c.transitions.insertMany(docs.slice(i, i + 1000));
  await c.transitions.createIndex({ position: 1 });
  const d = new Dispatcher(db, c, pino({ level: 'silent' }), {
    name: `bench-${randomBytes(3).toString('hex')}`,
  });
  return d;
}

async function flowsRound(db: Db, n: number): Promise<Result> {
  const h = new FlowHarness();
  await h.start(db, {
    timeScale: DAY_SCALED_MS / DAY,
    lockMs: 30_000,
    processEveryMs: 200,
    recoverEveryMs: 5000,
  });
  try {
    const seg = h.addSegment('Bench');
    await h.bind('welcome', seg, { reentry: { kind: 'once' } });
    for (let i = 0; i < n; i++)
      h.addContact(`b${i}`, { segments: [{ segmentId: seg._id, since: new Date() }] });
    const at = new Date();
    const t0 = performance.now();
    const d = await enterAll(db, n, seg._id, at);
    d.subscribeBatch('flows', (ts) => h.runtime.starter.onTransitions(ts));
    let delivered = 0;
    while (delivered < n && performance.now() - t0 < BUDGET_MS) delivered += await d.dispatchOnce();
    await h.runtime.idle();
    while (
      h.sent.filter((s) => s.text.startsWith('welcome-2')).length < n &&
      performance.now() - t0 < BUDGET_MS
    )
      await new Promise((r) => setTimeout(r, 200));
    const wallMs = performance.now() - t0;
    const rows = await h.runtime.c.instances
      .find({ workspaceId: WS }, { projection: { startedAt: 1, trigger: 1, history: 1 } })
      .toArray();
    const started = rows.flatMap((r) =>
      r.startedAt ? [r.startedAt.getTime() - r.trigger.at.getTime()] : [],
    );
    const timer = rows.flatMap((r) => {
      const wait = r.history.find((e) => e.kind === 'wait');
      const ran = r.history.find((e) => e.kind === 'sendMessage' && e.detail === 'welcome-2');
      return wait && ran ? [ran.at.getTime() - Date.parse(wait.detail.replace('until ', ''))] : [];
    });
    return { started: summarize(started), timer: summarize(timer), wallMs };
  } finally {
    await h.stop();
  }
}

/** The same work as plain Agenda jobs: a job per contact to start, then one per wake-up. */
async function plainRound(db: Db, n: number): Promise<Result> {
  const s = createScheduler(db, { processEveryMs: 200, name: 'bench-plain', log: pino({ level: 'silent' }) });
  const started: number[] = [];
  const timer: number[] = [];
  const opts = { removeOnComplete: true, lockLifetime: 30_000, concurrency: 50, lockLimit: 500 };
  s.agenda.define<{ at: number }>(
    'plain.start',
    async (job) => {
      started.push(Date.now() - job.attrs.data.at);
      await s.agenda.schedule(new Date(Date.now() + DAY_SCALED_MS), 'plain.wake', {
        due: Date.now() + DAY_SCALED_MS,
      });
    },
    opts,
  );
  s.agenda.define<{ due: number }>(
    'plain.wake',
    async (job) => {
      timer.push(Date.now() - job.attrs.data.due);
    },
    opts,
  );
  await s.start();
  try {
    const segId = 'plain';
    const at = new Date();
    const t0 = performance.now();
    const d = await enterAll(db, n, segId, at);
    d.subscribe('plain', async () => {
      await s.agenda.now('plain.start', { at: at.getTime() });
    });
    let delivered = 0;
    while (delivered < n && performance.now() - t0 < BUDGET_MS) delivered += await d.dispatchOnce();
    while (timer.length < n && performance.now() - t0 < BUDGET_MS)
      await new Promise((r) => setTimeout(r, 200));
    return { started: summarize(started), timer: summarize(timer), wallMs: performance.now() - t0 };
  } finally {
    await s.stop(2000);
  }
}

export async function benchFlows(log: (line: string) => void, opts: BenchOptions): Promise<boolean> {
  const n = opts.contacts ?? 10_000;
  const logger = pino({ level: 'warn' });
  const config = loadConfig({ ...process.env, JAVA_SERVER_HEAP: process.env.JAVA_SERVER_HEAP ?? '2g' });
  const provided = await provideDatabase(config, { purpose: 'test', log: logger });
  log(
    `database: ${provided.engine}; ${fmt(n)} contacts enter a bound segment at once; 1 day = ${ms(DAY_SCALED_MS)}`,
  );
  const client = await MongoClient.connect(provided.uri, { serverSelectionTimeoutMS: 10_000 });
  const names = [
    `bench_flows_${randomBytes(4).toString('hex')}`,
    `bench_plain_${randomBytes(4).toString('hex')}`,
    `bench_floor_${randomBytes(4).toString('hex')}`,
  ];
  try {
    const f = await flowsRound(client.db(names[0]), n);
    log(`flows (XState + snapshots + step records + Agenda timers), wall ${ms(f.wallMs)}:`);
    log(`  transition → instance started: ${line(f.started)}`);
    log(`  timer due → step ran:          ${line(f.timer)}`);
    const p = await plainRound(client.db(names[1]), n);
    log(`plain Agenda job per contact (no XState, no records), wall ${ms(p.wallMs)}:`);
    log(`  transition → job started:      ${line(p.started)}`);
    log(`  timer due → job ran:           ${line(p.timer)}`);
    log(
      `ratio p99 (flows / plain): started ${(f.started.p99 / p.started.p99).toFixed(2)}x, timer ${(f.timer.p99 / p.timer.p99).toFixed(2)}x`,
    );
    const w = await flowWriteFloor(client.db(names[2]), n);
    log(
      `floor, same run: the writes starting ${fmt(n)} instances needs, in bulk with no runtime: ${ms(w.total)} ` +
        `(instances inserted ${ms(w.insert)}, admitted ${ms(w.admit)}, starts counted ${ms(w.counts)}, ` +
        `effect records ${ms(w.records)}, snapshots ${ms(w.snapshots)})`,
    );
    return f.started.n === n && f.timer.n === n;
  } finally {
    await dropAndClose(client, ...names);
    await provided.stop();
  }
}
