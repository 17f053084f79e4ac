/**
 * Event ingestion at scale (issue 10): the events API over real HTTP at 100,000 contacts and 20
 * segments, on our launcher (secondary indexes) and, as the baseline in the same run, on stock
 * mongo-java-server 1.47 (which scans for every non-exact-unique query). Per backend:
 * (1) one event per request, one at a time: request → traits, memberships and transitions
 *     persisted (the API answers after the engine has written them);
 * (2) sustained: batches of 100 events with 8 and then 16 requests in flight.
 * Wall-time budgets keep the stock phases short; the output says how much ran.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { startJavaServer } from '../../src/infra/db/javaServer';
import { Membership } from '../../src/infra/membership';
import { ensureContactIndexes } from '../../src/infra/repos/contactKeys';
import { SegmentRepo } from '../../src/infra/repos/segments';
import { DEFAULT_WORKSPACE } from '../../src/domain/workspaces/apiKeys';
import { Rng } from '../../src/util/rng';
import type { BenchOptions } from './index';
import { contactId, loadContacts } from './membershipLoad';
import { createSegments } from './membershipSegments';
import { fmt, line, ms, summarize } from './stats';
import { dropAndClose, startBenchApp } from './benchApp';

const KEY = 'bench-ingest-key-0123456789';
const BUDGET = { single: 60_000, sustained: 20_000, cutoff: 60_000 };

interface Figures {
  single: number[];
  sustained: Record<number, { events: number; wallMs: number }>;
}

export async function benchIngest(log: (line: string) => void, opts: BenchOptions): Promise<boolean> {
  const contacts = opts.contacts ?? 100_000;
  log(
    `${fmt(contacts)} contacts, 20 dynamic segments; purchase events for random contacts via POST /api/v1/events`,
  );
  const ours = await runOn(false, contacts, log);
  const stock = await runOn(true, contacts, log);
  const p = (f: Figures) => summarize(f.single);
  log('');
  log(
    `one event per request, write → transitions persisted: p50 ${ms(p(ours).p50)} vs stock ${ms(p(stock).p50)} → ${(p(stock).p50 / p(ours).p50).toFixed(1)}×; p99 ${ms(p(ours).p99)} vs ${ms(p(stock).p99)} → ${(p(stock).p99 / p(ours).p99).toFixed(1)}×`,
  );
  for (const n of [8, 16]) {
    const rate = (f: Figures) => f.sustained[n]!.events / (f.sustained[n]!.wallMs / 1000);
    log(
      `sustained, batches of 100, ${n} in flight: ${fmt(rate(ours))} events/s vs stock ${fmt(rate(stock))} events/s → ` +
        (rate(stock) > 0
          ? `${(rate(ours) / rate(stock)).toFixed(1)}×`
          : 'stock finished no batch before the cut-off'),
    );
  }
  return (
    p(ours).p50 <= 10 &&
    [8, 16].every((n) => ours.sustained[n]!.events / (ours.sustained[n]!.wallMs / 1000) >= 500)
  );
}

async function runOn(stock: boolean, contacts: number, log: (line: string) => void): Promise<Figures> {
  const label = stock ? 'stock mongo-java-server' : 'our launcher';
  const { projectRoot } = loadConfig({});
  const server = await startJavaServer({ projectRoot, cacheDir: `${projectRoot}/.cache`, heap: '2g', stock });
  const name = `bench_ingest_${randomBytes(4).toString('hex')}`;
  const client = await MongoClient.connect(server.uri);
  const logger = pino({ level: 'warn' });
  try {
    const db = client.db(name);
    const repo = new SegmentRepo(db);
    await repo.ensureIndexes();
    const m = new Membership(db, repo, logger);
    await m.ensureIndexes();
    await ensureContactIndexes(db);
    await createSegments(repo, DEFAULT_WORKSPACE, m.clock);
    const l = await loadContacts(
      m.collections.contacts,
      await m.catalog.get(DEFAULT_WORKSPACE),
      contacts,
      DEFAULT_WORKSPACE,
      m.clock(),
    );
    log(`${label}: loaded in ${ms(l.insertMs)}`);
    const app = await startBenchApp(server.uri, name, { ADMIN_API_KEY: KEY });
    try {
      const rng = new Rng(stock ? 11 : 7);
      let seq = 0;
      const event = () => ({
        eventId: `${stock ? 's' : 'o'}${seq++}`,
        type: 'purchase',
        contactId: contactId(rng.int(contacts)),
        data: { amount: 1 + rng.int(3000), currency: 'EUR' },
      });
      const post = async (events: unknown[], signal?: AbortSignal) => {
        const res = await fetch(`http://127.0.0.1:${app.port}/api/v1/events`, {
          method: 'POST',
          ...(signal ? { signal } : {}),
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ events }),
        });
        if (res.status !== 200) throw new Error(`events API answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      };
      const single: number[] = [];
      const t0 = performance.now();
      while (single.length < 2_000 && performance.now() - t0 < BUDGET.single) {
        const t = performance.now();
        await post([event()]);
        single.push(performance.now() - t);
      }
      log(`  one at a time: ${single.length} requests: ${line(summarize(single))}`);
      const sustained: Figures['sustained'] = {};
      for (const inFlight of [8, 16]) {
        let events = 0;
        let cut = 0;
        const start = performance.now();
        // The stock server can take minutes for one batch (longer than fetch's 300 s headers
        // timeout): a request still running at the cut-off is abandoned and its events not counted.
        const cutoff = AbortSignal.timeout(BUDGET.sustained + BUDGET.cutoff);
        const worker = async () => {
          while (performance.now() - start < BUDGET.sustained) {
            const batch = Array.from({ length: 100 }, event);
            try {
              await post(batch, cutoff);
            } catch (err) {
              if (!cutoff.aborted) throw err;
              cut++;
              return;
            }
            events += batch.length;
          }
        };
        await Promise.all(Array.from({ length: inFlight }, worker));
        const wallMs = performance.now() - start;
        sustained[inFlight] = { events, wallMs };
        log(
          `  ${inFlight} in flight, batches of 100: ${fmt(events)} events in ${ms(wallMs)} = ${fmt(events / (wallMs / 1000))} events/s` +
            (cut
              ? ` (${cut} requests still running at the ${ms(BUDGET.sustained + BUDGET.cutoff)} cut-off, not counted)`
              : ''),
        );
      }
      const stats = (await db.command({ segmentsQueryStats: 1 }).catch(() => null)) as {
        jvm?: { usedBytes: number };
      } | null;
      if (stats?.jvm) log(`  JVM heap in use at the end: ${fmt(stats.jvm.usedBytes / 2 ** 20)} MiB`);
      return { single, sustained };
    } finally {
      await app.stop();
    }
  } finally {
    await dropAndClose(client, name);
    await server.stop();
  }
}
