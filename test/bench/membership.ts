/**
 * The membership benchmarks (issue 4): (a) the incremental path against re-running every
 * segment's query, (b) preview and full rebuild against a plain count, (c) time precision of the
 * sweeper at its default interval against 100 ms. The database comes from the same chain as
 * every entry point (offline: an in-memory mongo-java-server, here with a 2 GB heap); the
 * benchmark uses fresh database names and drops them, and stops the server, even on error.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { provideDatabase } from '../../src/infra/db/chain';
import { Membership } from '../../src/infra/membership';
import { SegmentRepo } from '../../src/infra/repos/segments';
import type { BenchOptions } from './index';
import { benchIncremental } from './membershipIncremental';
import { loadContacts } from './membershipLoad';
import { benchRebuilds } from './membershipRebuild';
import { createSegments } from './membershipSegments';
import { benchTime, idleSweepMs } from './membershipTime';
import { fmt, ms } from './stats';
import { dropAndClose } from './benchApp';

const WS = 'bench-ws';
const SIZES = {
  contacts: 100_000,
  changes: 10_000,
  concurrentChanges: 5_000,
  concurrency: 8,
  naiveChanges: 20,
  timeContacts: 1_000,
};
/**
 * Wall-time caps, so a slow backend cannot run the benchmark for hours; the output states how
 * many changes ran. One change at a time gets enough for all 10,000 the issue asks for (about
 * 13 minutes on mongo-java-server at 100k contacts); the concurrent and naive phases are samples.
 */
const BUDGET_MS = { changes: 900_000, concurrent: 30_000, naive: 90_000 };

export async function benchMembership(log: (line: string) => void, opts: BenchOptions): Promise<boolean> {
  const contacts = opts.contacts ?? SIZES.contacts;
  const logger = pino({ level: 'warn' });
  const config = loadConfig({ ...process.env, JAVA_SERVER_HEAP: process.env.JAVA_SERVER_HEAP ?? '2g' });
  const tStart = performance.now();
  const provided = await provideDatabase(config, { purpose: 'test', log: logger });
  log(
    `database: ${provided.engine}${provided.engine === 'java-server' ? ` (in memory, heap ${config.javaServerHeap})` : ''}` +
      ` started in ${ms(performance.now() - tStart)}`,
  );
  const name = `bench_membership_${randomBytes(4).toString('hex')}`;
  let client: MongoClient | undefined;
  let ok = true;
  try {
    client = await MongoClient.connect(provided.uri, { serverSelectionTimeoutMS: 10_000 });
    const db = client.db(name);
    const repo = new SegmentRepo(db);
    await repo.ensureIndexes();
    const m = new Membership(db, repo, logger);
    await m.ensureIndexes();
    const segments = await createSegments(repo, WS, m.clock);
    const compiled = await m.catalog.get(WS);
    const load = await loadContacts(m.collections.contacts, compiled, contacts, WS, m.clock());
    log(
      `load: ${fmt(contacts)} contacts (seeded), ${segments.length} dynamic segments; generated in ` +
        `${ms(load.generateMs)}, memberships precomputed in-process (compileWorkspace + evaluateMembership) ` +
        `in ${ms(load.evaluateMs)}, insertMany in batches of 2,000 (indexes already created) in ${ms(load.insertMs)} ` +
        `(${fmt(contacts / (load.insertMs / 1000))} contacts/s)`,
    );
    const members = await Promise.all(segments.map((s) => m.queries.memberCount(WS, s._id)));
    log(`  members: ${segments.map((s, i) => `${s.name} ${fmt(members[i] ?? 0)}`).join(', ')}`);

    let t0 = performance.now();
    log('');
    ok =
      (await benchIncremental(
        m,
        {
          workspaceId: WS,
          contacts,
          changes: SIZES.changes,
          budgetMs: BUDGET_MS.changes,
          concurrentChanges: SIZES.concurrentChanges,
          concurrentBudgetMs: BUDGET_MS.concurrent,
          concurrency: SIZES.concurrency,
          naiveChanges: SIZES.naiveChanges,
          naiveBudgetMs: BUDGET_MS.naive,
        },
        log,
      )) && ok;
    log(`  ((a) took ${ms(performance.now() - t0)})`);

    t0 = performance.now();
    log('');
    const seeds = segments.slice(0, 5);
    await benchRebuilds(m, WS, contacts, seeds, log);
    log(`  ((b) took ${ms(performance.now() - t0)})`);

    t0 = performance.now();
    log('');
    const idleBig = await idleSweepMs(m);
    const timeDb = client.db(`${name}_time`);
    try {
      ok = (await benchTime(timeDb, logger, SIZES.timeContacts, log)) && ok;
      const idleSmall = await idleSweepMs(new Membership(timeDb, new SegmentRepo(timeDb), logger));
      log(
        `  sweeper tick with nothing due (claim query only): ${ms(idleSmall)} on ${fmt(2 * SIZES.timeContacts)} contacts, ` +
          `${ms(idleBig)} on ${fmt(contacts)} contacts`,
      );
    } finally {
      await timeDb.dropDatabase().catch(() => undefined);
    }
    log(`  ((c) took ${ms(performance.now() - t0)})`);
  } finally {
    await dropAndClose(client, name);
    await provided.stop();
    log(`membership bench: ${ms(performance.now() - tStart)} in all`);
  }
  return ok;
}
