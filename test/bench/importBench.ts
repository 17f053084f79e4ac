/**
 * Bulk import (issue 15): 100,000 contacts (default; `--contacts=N`) through
 * POST /api/v1/contacts/import in calls of 5,000, on our launcher with the 20 benchmark segments,
 * every contact evaluated into its segments with its transitions. Printed per 10,000 so a rate
 * that falls as the database grows shows. Baseline in the same run: one-at-a-time
 * POST /contacts (the only way before), a sample on the empty database and one at the end.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { loadConfig } from '../../src/config';
import { startJavaServer } from '../../src/infra/db/javaServer';
import { SegmentRepo } from '../../src/infra/repos/segments';
import { DEFAULT_WORKSPACE } from '../../src/domain/workspaces/apiKeys';
import { Rng } from '../../src/util/rng';
import type { BenchOptions } from './index';
import { createSegments } from './membershipSegments';
import { fmt, ms } from './stats';
import { dropAndClose, startBenchApp } from './benchApp';
import { importWriteFloor } from './importFloor';

const KEY = 'bench-import-key-0123456789';
const CALL = 5_000;
const SAMPLE_MS = 20_000;

function contact(i: number, rng: Rng, prefix: string): Record<string, unknown> {
  return {
    externalId: `${prefix}${i}`,
    name: `Contact ${i}`,
    email: `${prefix}${i}@example${rng.int(50)}.com`,
    createdAt: new Date(Date.now() - rng.int(400) * 86_400_000 - 60_000).toISOString(),
    lifetimeValue: rng.int(10_000),
    purchaseCount: rng.int(20),
    tags: rng.int(10) === 0 ? ['VIP'] : [],
    custom: { plan: ['free', 'pro', 'enterprise'][rng.int(3)]! },
  };
}

export async function benchImport(log: (line: string) => void, opts: BenchOptions): Promise<boolean> {
  const total = opts.contacts ?? 100_000;
  const { projectRoot } = loadConfig({});
  const server = await startJavaServer({ projectRoot, cacheDir: `${projectRoot}/.cache`, heap: '2g' });
  const name = `bench_import_${randomBytes(4).toString('hex')}`;
  const floorName = `${name}_floor`;
  const client = await MongoClient.connect(server.uri);
  const app = await startBenchApp(server.uri, name, { ADMIN_API_KEY: KEY });
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`http://127.0.0.1:${app.port}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as { summary?: Record<string, number> };
  };
  const rng = new Rng(15);
  const oneByOne = async (prefix: string): Promise<number> => {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < SAMPLE_MS) await post('/contacts', contact(n++, rng, prefix));
    return n / ((performance.now() - t0) / 1000);
  };
  try {
    await createSegments(new SegmentRepo(client.db(name)), DEFAULT_WORKSPACE, () => new Date());
    log(`${fmt(total)} contacts, 20 dynamic segments, our launcher (in memory, 2 GB heap)`);
    const before = await oneByOne('b');
    log(`baseline, POST /contacts one at a time on an empty database: ${fmt(before)} contacts/s`);
    const rates: number[] = [];
    let windowStart = performance.now();
    const t0 = windowStart;
    for (let done = 0; done < total;) {
      const n = Math.min(CALL, total - done);
      const r = await post(
        '/contacts/import',
        Array.from({ length: n }, (_, i) => contact(done + i, rng, 'i')),
      );
      if (r.summary?.created !== n) throw new Error(`import: ${JSON.stringify(r.summary)}`);
      done += n;
      if (done % 10_000 === 0 || done === total) {
        const now = performance.now();
        rates.push(((done % 10_000 || 10_000) * 1000) / (now - windowStart));
        log(`  import: ${fmt(done)} contacts, last 10k at ${fmt(rates[rates.length - 1]!)} contacts/s`);
        windowStart = now;
      }
    }
    const wall = performance.now() - t0;
    const overall = (total * 1000) / wall;
    const after = await oneByOne('a');
    log(`baseline, POST /contacts one at a time at ${fmt(total)} contacts: ${fmt(after)} contacts/s`);
    const again = performance.now();
    const r = await post(
      '/contacts/import',
      Array.from({ length: CALL }, (_, i) => contact(i, rng, 'i')),
    );
    log(
      `re-import of ${fmt(CALL)} existing contacts: ${JSON.stringify(r.summary)} in ${ms(performance.now() - again)}`,
    );
    const transitions = await client.db(name).collection('segment_transitions').countDocuments({});
    log(
      `import: ${fmt(total)} in ${ms(wall)} = ${fmt(overall)} contacts/s (first 10k ${fmt(rates[0]!)}/s, last 10k ${fmt(rates[rates.length - 1]!)}/s), ${fmt(transitions)} transitions`,
    );
    log(
      `import vs one at a time: ${(overall / before).toFixed(1)}× (empty), ${(overall / after).toFixed(1)}× (at ${fmt(total)})`,
    );
    const f = await importWriteFloor(client.db(name), client.db(floorName), 'i');
    log(
      `floor, same run: the import's own writes for its ${fmt(f.contacts)} contacts in bulk with no API, ` +
        `no validation and no evaluation: ${fmt(f.perSecond)} contacts/s (contacts inserted ${ms(f.insertContacts)}, ` +
        `${fmt(f.transitions)} transitions inserted ${ms(f.insertTransitions)}, outboxes released ${ms(f.release)}); ` +
        `the import reached ${((100 * overall) / f.perSecond).toFixed(0)}% of it`,
    );
    return overall >= 5_000;
  } finally {
    await app.stop();
    await dropAndClose(client, name, floorName);
    await server.stop();
  }
}
