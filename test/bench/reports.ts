/**
 * The reports benchmark (issue 14): 20 segments at 100,000 contacts (the membership benchmark's
 * loaders) with 90 days of synthetic transitions. Timed, ours the median of 3 runs after one
 * warm-up, each baseline once: the comparison table of all 20 segments and one 90-day size-history chart (data +
 * SVG), against naive baselines in the same run (per-segment member scans; per-day counts of the
 * feed) and against our own history without snapshots. The results are checked equal.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { historyChart } from '../../src/domain/reports/charts';
import { provideDatabase } from '../../src/infra/db/chain';
import { Membership } from '../../src/infra/membership';
import { Reports } from '../../src/infra/reports';
import { SegmentRepo } from '../../src/infra/repos/segments';
import type { BenchOptions } from './index';
import { loadContacts } from './membershipLoad';
import { createSegments } from './membershipSegments';
import { naiveCompare, naiveHistory } from './reportsNaive';
import { insertHandoffs, insertHistory } from './reportsData';
import { fmt, median, ms } from './stats';
import { dropAndClose } from './benchApp';

const WS = 'bench-reports';
const GOAL_MS = 500;
const RUNS = 3;

/** Ours: one warm-up (the chart worker starts on the first chart), then the median of RUNS. */
async function timed<T>(fn: () => Promise<T>, runs = RUNS): Promise<{ ms: number; value: T }> {
  await fn();
  const times: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = await fn();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), value };
}

/** A baseline: one run (they take seconds each on the embedded database). */
async function once<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export async function benchReports(log: (line: string) => void, opts: BenchOptions): Promise<boolean> {
  const contacts = opts.contacts ?? 100_000;
  const logger = pino({ level: 'warn' });
  const config = loadConfig({ ...process.env, JAVA_SERVER_HEAP: process.env.JAVA_SERVER_HEAP ?? '2g' });
  const tStart = performance.now();
  const provided = await provideDatabase(config, { purpose: 'test', log: logger });
  log(`database: ${provided.engine} started in ${ms(performance.now() - tStart)}`);
  const name = `bench_reports_${randomBytes(4).toString('hex')}`;
  let client: MongoClient | undefined;
  let reports: Reports | undefined;
  let ok = true;
  try {
    client = await MongoClient.connect(provided.uri, { serverSelectionTimeoutMS: 10_000 });
    const db = client.db(name);
    const repo = new SegmentRepo(db);
    await repo.ensureIndexes();
    const m = new Membership(db, repo, logger);
    await m.ensureIndexes();
    reports = new Reports(db, repo, m);
    await reports.ensureIndexes();
    const segments = await createSegments(repo, WS, m.clock);
    // Segments from 120 days ago, so every day of a 90-day chart is in their lifetime.
    await db
      .collection('segments')
      .updateMany({ workspaceId: WS }, { $set: { createdAt: new Date(Date.now() - 120 * 86_400_000) } });
    const load = await loadContacts(m.collections.contacts, await m.catalog.get(WS), contacts, WS, m.clock());
    const ids = segments.map((s) => s._id);
    const sizes = await reports.queries.sizes(WS, ids);
    let t0 = performance.now();
    const transitions = await insertHistory(db, WS, sizes, contacts, m.clock());
    await insertHandoffs(db, WS, 500, contacts);
    log(
      `load: ${fmt(contacts)} contacts, ${segments.length} segments (insert ${ms(load.insertMs)}); ` +
        `${fmt(transitions)} transitions over 90 days and 500 handoffs in ${ms(performance.now() - t0)}`,
    );

    const big = [...sizes].sort((a, b) => b[1] - a[1])[0]!;
    const bigName = segments.find((s) => s._id === big[0])!.name;
    // History before any snapshot: reconstructed from the feed alone.
    const fromFeed = await timed(() => reports!.historySvg(WS, big[0], 90), 1);
    t0 = performance.now();
    const written = await reports.snapshots.run(WS);
    log(`snapshot job: ${fmt(written)} day records (20 segments × 89 days) in ${ms(performance.now() - t0)}`);

    // After the untimed first call, served from the precomputed member figures, as a page or a chat reply is.
    const compare = await timed(() => reports!.service.compare(WS, ids));
    const exact = await timed(() => reports!.service.compare(WS, ids, 0));
    log(
      `comparison table, 20 segments: ${ms(compare.ms)} from the precomputed member figures ` +
        `(as of ${compare.value[0]!.asOf.toISOString()}); computed now (maxAge=0, one aggregation ` +
        `over the members, also the background refresh's cost): ${ms(exact.ms)}`,
    );
    const compareNaive = await once(() => naiveCompare(db, WS, segments));
    const same =
      JSON.stringify(compare.value.map(round)) === JSON.stringify(compareNaive.value.map(round)) &&
      JSON.stringify(exact.value.map(round)) === JSON.stringify(compareNaive.value.map(round));
    log(
      `  baseline, a scan of each segment's members: ${ms(compareNaive.ms)} → ` +
        `${(compareNaive.ms / compare.ms).toFixed(1)}× (precomputed), ${(compareNaive.ms / exact.ms).toFixed(1)}× (computed now); rows equal: ${same}`,
    );
    const chart = await timed(() => reports!.historySvg(WS, big[0], 90));
    const data = await timed(() => reports!.service.segment(WS, big[0], 90));
    log(
      `90-day history chart of "${bigName}" (${fmt(big[1])} members), data + SVG: ${ms(chart.ms)} ` +
        `(with freshness, no SVG: ${ms(data.ms)}); before snapshots (feed only): ${ms(fromFeed.ms)}`,
    );
    const chartNaive = await once(async () => {
      const h = await naiveHistory(db, WS, big[0], 90, m.clock());
      return { h, svg: await reports!.renderer.svg(historyChart(bigName, h)) };
    });
    const sameHistory = JSON.stringify(data.value.history) === JSON.stringify(chartNaive.value.h);
    log(
      `  baseline, 90 × 2 per-day counts of the feed: ${ms(chartNaive.ms)} → ` +
        `${(chartNaive.ms / chart.ms).toFixed(1)}×; histories equal: ${sameHistory}`,
    );
    const within = compare.ms <= GOAL_MS && chart.ms <= GOAL_MS;
    log(`goal ≤ ${GOAL_MS} ms each: ${within ? 'met' : 'NOT met'}`);
    ok = same && sameHistory && within;
  } finally {
    await reports?.close();
    await dropAndClose(client, name);
    await provided.stop();
    log(`reports bench: ${ms(performance.now() - tStart)} in all`);
  }
  return ok;
}

/** Averages to 9 significant digits: the aggregation and JavaScript sum in different orders. */
function round<T extends object>(row: T): T {
  return Object.fromEntries(
    Object.entries(row)
      .filter(([k]) => k !== 'asOf')
      .map(([k, v]) => [k, typeof v === 'number' ? Number(v.toPrecision(9)) : v]),
  ) as T;
}
