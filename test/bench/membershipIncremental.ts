/**
 * (a) The incremental path: a contact write or event followed by `contactChanged`, which
 * evaluates the workspace's compiled segments for that one contact, writes the diff and flushes
 * the outbox. Latency is from the write to the transitions persisted (contactChanged resolved).
 * Baseline: the naive way, re-running every segment's Mongo query over the workspace after each
 * change (only a count: a lower bound, as it neither fetches nor diffs the member ids).
 */
import { performance } from 'node:perf_hooks';
import type { Filter } from 'mongodb';
import { compileMongo } from '../../src/rules';
import type { Membership } from '../../src/infra/membership';
import type { ContactDoc } from '../../src/infra/membership/store';
import { changeStream, type Change } from './membershipChanges';
import { checkPositions } from './membershipChecks';
import { contactId } from './membershipLoad';
import { fmt, line, median, ms, summarize, type Summary } from './stats';

export interface IncrementalOptions {
  workspaceId: string;
  contacts: number;
  /** Changes asked for, one at a time; fewer when `budgetMs` runs out first (the output says so). */
  changes: number;
  budgetMs: number;
  concurrentChanges: number;
  concurrentBudgetMs: number;
  concurrency: number;
  naiveChanges: number;
  naiveBudgetMs: number;
}

async function write(m: Membership, ws: string, c: Change): Promise<void> {
  await m.collections.contacts.updateOne(
    { _id: c.contactId, workspaceId: ws, ...c.where },
    { ...c.update, $inc: { ...(c.update.$inc ?? {}), version: 1 } },
  );
}

async function ours(m: Membership, ws: string, c: Change): Promise<number> {
  const t0 = performance.now();
  await write(m, ws, c);
  await m.engine.contactChanged(ws, c.contactId, c.cause);
  return performance.now() - t0;
}

const transitionsBy = (m: Membership, ws: string) =>
  m.collections.transitions.countDocuments({ workspaceId: ws, cause: { $in: ['event', 'contact'] } });

/**
 * Runs up to `count` changes with `workers` in flight, starting none after `budgetMs`; returns
 * per-change latencies and wall time.
 */
async function runOurs(
  m: Membership,
  ws: string,
  next: () => Change,
  count: number,
  workers: number,
  budgetMs = Infinity,
): Promise<{ lat: number[]; wallMs: number }> {
  const lat: number[] = [];
  let started = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (started < count && performance.now() - t0 < budgetMs) {
      started++;
      lat.push(await ours(m, ws, next()));
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return { lat, wallMs: performance.now() - t0 };
}

export async function benchIncremental(
  m: Membership,
  o: IncrementalOptions,
  log: (line: string) => void,
): Promise<boolean> {
  const ws = o.workspaceId;
  const next = changeStream(o.contacts, m.clock);
  const compiled = await m.catalog.get(ws);
  log(
    `(a) incremental path: ${fmt(o.contacts)} contacts, ${compiled.dynamic.length} dynamic segments, ` +
      `random events/writes (trait $set/$inc + version $inc, then contactChanged)`,
  );

  // Warm-up (JIT, connection pool, catalog cache); not counted.
  await runOurs(m, ws, next, 20, 1);
  const before = await transitionsBy(m, ws);

  const seq = await runOurs(m, ws, next, o.changes, 1, o.budgetMs);
  const afterSeq = await transitionsBy(m, ws);
  const s = summarize(seq.lat);
  log(
    `  ours, one change at a time: ${fmt(s.n)} changes in ${ms(seq.wallMs)}${short(s.n, o.changes, o.budgetMs)}`,
  );
  log(`    latency write → transitions persisted: ${line(s)}`);
  log(
    `    throughput ${fmt(s.n / (seq.wallMs / 1000))} changes/s; transitions produced ${fmt(afterSeq - before)} ` +
      `(${((afterSeq - before) / s.n).toFixed(2)} per change)`,
  );

  const conc = await runOurs(m, ws, next, o.concurrentChanges, o.concurrency, o.concurrentBudgetMs);
  const afterConc = await transitionsBy(m, ws);
  const cs = summarize(conc.lat);
  log(
    `  ours, ${o.concurrency} changes in flight: ${fmt(cs.n)} changes in ${ms(conc.wallMs)}` +
      short(cs.n, o.concurrentChanges, o.concurrentBudgetMs),
  );
  log(`    latency: ${line(cs)}`);
  log(
    `    throughput ${fmt(cs.n / (conc.wallMs / 1000))} changes/s; transitions ${fmt(afterConc - afterSeq)}`,
  );

  const naive = await runNaive(m, o, next);
  const ns = summarize(naive.lat);
  log(
    `  baseline, naive (after each change, count every segment's Mongo filter over the workspace: ` +
      `${compiled.dynamic.length} countDocuments issued together), ${fmt(ns.n)} changes (each scans the ` +
      `workspace ${compiled.dynamic.length}×, so fewer changes)${short(ns.n, o.naiveChanges, o.naiveBudgetMs)}:`,
  );
  log(`    latency: ${line(ns)}`);
  log(`    throughput ${(ns.n / (naive.wallMs / 1000)).toFixed(2)} changes/s`);
  log(
    `  naive/ours: p50 ${ratio(ns, s, 'p50')}×, p99 ${ratio(ns, s, 'p99')}× ` +
      `(naive is a lower bound: counts only, no fetch of member ids, no diff, no transitions written)`,
  );
  await diagnose(m, ws, o.contacts, log);
  const consistent = await checkConsistency(m, ws, log);
  return (await checkPositions(m.collections, log)) && consistent;
}

const ratio = (a: Summary, b: Summary, k: 'p50' | 'p99') => (a[k] / b[k]).toFixed(1);

const short = (ran: number, asked: number, budgetMs: number) =>
  ran < asked ? ` (${fmt(asked)} asked; stopped at the ${fmt(budgetMs / 1000)} s budget)` : '';

/**
 * Why a change costs what it costs here: the engine's reads and writes are scoped by workspace
 * (`{_id, workspaceId, ...}`). MongoDB serves them from the `_id` index; mongo-java-server uses an
 * index only when the query's keys are exactly the index's keys, so there each one scans the
 * collection. Median of 20 lookups of random contacts each way.
 */
async function diagnose(m: Membership, ws: string, n: number, log: (line: string) => void): Promise<void> {
  const ids = Array.from({ length: 20 }, (_, i) => contactId((i * 7_919) % n));
  const time = async (filter: (id: string) => Filter<ContactDoc>) => {
    const out: number[] = [];
    for (const id of ids) {
      const t0 = performance.now();
      await m.collections.contacts.findOne(filter(id));
      out.push(performance.now() - t0);
    }
    return median(out);
  };
  const byId = await time((id) => ({ _id: id }));
  const scoped = await time((id) => ({ _id: id, workspaceId: ws }));
  log(
    `  diagnosis: findOne({_id}) ${ms(byId)} vs findOne({_id, workspaceId}) ${ms(scoped)} at ${fmt(n)} contacts ` +
      `(the engine's guarded reads/writes are workspace-scoped; ${(scoped / byId).toFixed(0)}× means the ` +
      `scoped form scans the collection on this backend)`,
  );
}

async function runNaive(
  m: Membership,
  o: IncrementalOptions,
  next: () => Change,
): Promise<{ lat: number[]; wallMs: number }> {
  const ws = o.workspaceId;
  const compiled = await m.catalog.get(ws);
  const recount = async () => {
    const now = m.clock();
    await Promise.all(
      compiled.dynamic.map((d) =>
        m.collections.contacts.countDocuments({
          $and: [{ workspaceId: ws }, compileMongo(d.rule, now, compiled.ctx) as Filter<ContactDoc>],
        }),
      ),
    );
  };
  await recount(); // warm-up
  const lat: number[] = [];
  let wallMs = 0;
  for (let i = 0; i < o.naiveChanges && wallMs < o.naiveBudgetMs; i++) {
    const c = next();
    const t0 = performance.now();
    await write(m, ws, c);
    await recount();
    const dt = performance.now() - t0;
    lat.push(dt);
    wallMs += dt;
    // Keep the materialised memberships right for what follows (not timed).
    await m.engine.contactChanged(ws, c.contactId, c.cause);
  }
  return { lat, wallMs };
}

/**
 * After the run (and a sweep of whatever time made due), every segment's materialised member
 * count equals its Mongo filter's count, and no outbox is left behind.
 */
async function checkConsistency(m: Membership, ws: string, log: (line: string) => void): Promise<boolean> {
  while ((await m.sweep()) > 0) {
    // drain due rechecks
  }
  const compiled = await m.catalog.get(ws);
  const now = m.clock();
  const off: string[] = [];
  for (const d of compiled.dynamic) {
    const [filter, members] = await Promise.all([
      m.collections.contacts.countDocuments({
        $and: [{ workspaceId: ws }, compileMongo(d.rule, now, compiled.ctx) as Filter<ContactDoc>],
      }),
      m.queries.memberCount(ws, d.id),
    ]);
    if (filter !== members) off.push(`${d.id}: filter ${filter} vs members ${members}`);
  }
  const outboxes = await m.collections.contacts.countDocuments({ 'pendingTransitions.seq': { $gte: 1 } });
  log(
    `  check: materialised member counts = Mongo filter counts on ${compiled.dynamic.length - off.length}/` +
      `${compiled.dynamic.length} segments${off.length ? ` (differ: ${off.join('; ')})` : ''}; ` +
      `contacts with a non-empty outbox: ${outboxes}`,
  );
  return off.length === 0 && outboxes === 0;
}
