/**
 * Rebuild after a rule edit (issue 15): at 20,000 and 100,000 contacts (the 20 benchmark
 * segments, memberships precomputed) a segment `lifetimeValue > A` is created, then edited to
 * `lifetimeValue > B`, B chosen so the edit moves 17.5% of contacts (3,500 at 20,000). Old and new
 * rule side by side: members, contacts moved, time. Baseline in the same run: the same edit back
 * through the one-contact path (read, evaluate, write, flush per contact), which rebuilds used
 * before, so both walk the same candidates and record the same number of transitions.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MongoClient, type Db, type Filter } from 'mongodb';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { SegmentService } from '../../src/domain/segments/service';
import { DEFAULT_WORKSPACE as WS } from '../../src/domain/workspaces/apiKeys';
import { startJavaServer } from '../../src/infra/db/javaServer';
import { Membership } from '../../src/infra/membership';
import type { ContactDoc } from '../../src/infra/membership/store';
import { SegmentRepo } from '../../src/infra/repos/segments';
import { compileMongo, parseRule } from '../../src/rules';
import type { BenchOptions } from './index';
import { loadContacts } from './membershipLoad';
import { createSegments } from './membershipSegments';
import { fmt, ms } from './stats';

export async function benchRebuild(log: (line: string) => void, opts: BenchOptions): Promise<boolean> {
  const sizes = opts.contacts ? [opts.contacts] : [20_000, 100_000];
  const { projectRoot } = loadConfig({});
  const server = await startJavaServer({ projectRoot, cacheDir: `${projectRoot}/.cache`, heap: '2g' });
  const client = await MongoClient.connect(server.uri);
  let ok = true;
  try {
    for (const n of sizes) {
      const name = `bench_rebuild_${randomBytes(4).toString('hex')}`;
      try {
        const ms100k = await runAt(client.db(name), n, log);
        if (n >= 100_000) ok = ms100k <= 5_000;
      } finally {
        await client
          .db(name)
          .dropDatabase()
          .catch(() => undefined);
      }
    }
  } finally {
    await client.close();
    await server.stop();
  }
  return ok;
}

async function runAt(db: Db, n: number, log: (line: string) => void): Promise<number> {
  const repo = new SegmentRepo(db);
  await repo.ensureIndexes();
  const m = new Membership(db, repo, pino({ level: 'warn' }));
  await m.ensureIndexes();
  await createSegments(repo, WS, m.clock);
  await loadContacts(m.collections.contacts, await m.catalog.get(WS), n, WS, m.clock());
  const values = (await m.collections.contacts.find({}, { projection: { lifetimeValue: 1 } }).toArray())
    .map((d) => d.lifetimeValue)
    .sort((a, b) => a - b);
  const at = (q: number) => values[Math.floor(q * (values.length - 1))]!;
  const [oldRule, newRule] = [`lifetimeValue > ${at(0.85)}`, `lifetimeValue > ${at(0.675)}`];
  const segments = new SegmentService({
    store: repo,
    now: m.clock,
    definitionChanged: (w, id) => m.rebuilder.request(w, id),
  });
  const drain = async () => {
    const t0 = performance.now();
    while ((await m.rebuilder.runOnce()) > 0 || (await m.rebuilder.pending()) > 0) {
      // until done
    }
    return performance.now() - t0;
  };
  const count = (rule: string) =>
    m.collections.contacts.countDocuments({
      $and: [{ workspaceId: WS }, compileMongo(parseRule(rule), m.clock()) as Filter<ContactDoc>],
    });
  const seg = await segments.create(WS, { name: 'Spenders', rule: oldRule }, 'bench');
  const createMs = await drain();
  const before = await m.queries.memberCount(WS, seg._id);
  await segments.update(WS, seg._id, { rule: newRule });
  const editMs = await drain();
  const after = await m.queries.memberCount(WS, seg._id);
  const expected = await count(newRule);

  // Baseline: the same edit back, one contact at a time as rebuilds did before.
  const quiet = new SegmentService({ store: repo, now: m.clock, definitionChanged: async () => {} });
  await quiet.update(WS, seg._id, { rule: oldRule });
  const compiled = await m.catalog.get(WS);
  const filter = {
    $or: [compileMongo(parseRule(oldRule), m.clock()), { 'segments.segmentId': seg._id }],
  } as Filter<ContactDoc>;
  const t0 = performance.now();
  for await (const doc of m.collections.contacts
    .find({ $and: [{ workspaceId: WS }, filter] })
    .sort({ _id: 1 })) {
    const written = await m.engine.apply(doc, 'definition', compiled);
    if (written === undefined) await m.engine.evaluate(WS, doc._id, 'definition');
    else if (written.length) await m.engine.flush(WS, doc._id);
  }
  const naiveMs = performance.now() - t0;
  const back = await m.queries.memberCount(WS, seg._id);

  log(`${fmt(n)} contacts, 20 other segments:`);
  log(`  old rule "${oldRule}": ${fmt(before)} members; building it (new segment) took ${ms(createMs)}`);
  log(
    `  new rule "${newRule}": ${fmt(after)} members (filter count ${fmt(expected)}), ${fmt(after - before)} moved; rebuild ${ms(editMs)} = ${fmt(((after - before) * 1000) / editMs)} moves/s`,
  );
  log(
    `  baseline, the same edit back one contact at a time: ${ms(naiveMs)} (${fmt(back)} members after) → bulk rebuild ${(naiveMs / editMs).toFixed(1)}× faster`,
  );
  if (after !== expected || back !== before) log('  MISMATCH: members differ from the rule');
  return editMs;
}
