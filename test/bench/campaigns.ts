/**
 * The campaign benchmark (issue 12): one campaign to 20,000 recipients through the whole app
 * (Agenda jobs, the run sender, the bot's proactive sender over HTTP) to a local channel
 * endpoint, at the highest allowed rate. Reports messages per second, the per-message send time
 * (p50/p99), and checks the channel's own count: every recipient exactly once, none missing.
 * Baseline in the same run: the naive way, sequential `proactive.toContact` calls (two reads per
 * message and one message at a time) over a share of the same recipients.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { TestChannel } from '../../bot/cli/channel';
import type { App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { provideDatabase } from '../../src/infra/db/chain';
import { receivedPerConversation, seedRecipients } from '../support/campaignFixture';
import type { BenchOptions } from './index';
import { fmt, line, ms, summarize } from './stats';
import { startBenchApp } from './benchApp';

const WS = 'default'; // the workspace of the bootstrap API key and of the bot
const KEY = 'bench-admin-key-0123456789';
const SIZES = { recipients: 20_000, baseline: 2_000 };

export async function benchCampaigns(log: (line: string) => void, opts: BenchOptions): Promise<boolean> {
  const n = opts.contacts ?? SIZES.recipients;
  const logger = pino({ level: 'warn' });
  const config = loadConfig({ ...process.env, JAVA_SERVER_HEAP: process.env.JAVA_SERVER_HEAP ?? '1g' });
  const provided = await provideDatabase(config, { purpose: 'test', log: logger });
  log(`database: ${provided.engine}; recipients ${fmt(n)}, baseline ${fmt(SIZES.baseline)}`);
  const channel = await TestChannel.start();
  let app: App | undefined;
  try {
    app = await startBenchApp(provided.uri, `bench_campaigns_${randomBytes(4).toString('hex')}`, {
      BOT_WORKSPACE_ID: WS,
      ADMIN_API_KEY: KEY,
      AGENDA_PROCESS_EVERY_MS: '100',
      ...(process.env.CAMPAIGN_CONCURRENCY ? { CAMPAIGN_CONCURRENCY: process.env.CAMPAIGN_CONCURRENCY } : {}),
    });
    const a = app;
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`http://127.0.0.1:${a.port}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return (await res.json()) as Record<string, any>;
    };
    const db = app.conn.db!;
    const list = (await api('POST', '/segments', { name: 'Bench List', type: 'static' }))._id as string;
    const t0 = performance.now();
    const people = await seedRecipients(db, WS, n, { segmentIds: [list], serviceUrl: channel.serviceUrl });
    log(`seeded ${fmt(n)} contacts with conversation references in ${ms(performance.now() - t0)}`);

    // Time every send the campaign makes (the sender is looked up per call).
    const times: number[] = [];
    const proactive = app.bot.proactive;
    const original = proactive.sendToRef.bind(proactive);
    proactive.sendToRef = async (ref, text, who) => {
      const s = performance.now();
      const r = await original(ref, text, who);
      times.push(performance.now() - s);
      return r;
    };
    const c = await api('POST', '/campaigns', {
      name: 'Bench',
      audience: { segment: list },
      template: { text: 'Hi {{contact.name}}, this is the benchmark.' },
      ratePerSecond: 10_000,
    });
    const mark = channel.received.length;
    const tStart = performance.now();
    await api('POST', `/campaigns/${c._id as string}/start`);
    let view: Record<string, any> = {};
    while ((view = await api('GET', `/campaigns/${c._id as string}`)).status !== 'completed') {
      if (performance.now() - tStart > 600_000) throw new Error(`not done: ${JSON.stringify(view.counts)}`);
      await new Promise((r) => setTimeout(r, 1000)); // rarely: the view aggregates every delivery
    }
    const wall = performance.now() - tStart;
    const got = receivedPerConversation(channel.received.slice(mark));
    const dup = people.filter((p) => (got.get(p.conversationId) ?? 0) > 1).length;
    const missing = people.filter((p) => !got.get(p.conversationId)).length;
    const rate = (n / wall) * 1000;
    log(
      `campaign: ${fmt(n)} messages in ${ms(wall)} (start to completed, incl. snapshot): ${fmt(rate)} messages/s`,
    );
    log(`  per message (proactive send): ${line(summarize(times))}`);
    log(`  counts ${JSON.stringify(view.counts)}; channel: ${dup} duplicates, ${missing} missing`);
    proactive.sendToRef = original;

    // Baseline: sequential toContact over the first recipients, one after another.
    const subset = people.slice(0, Math.min(SIZES.baseline, n));
    const bMark = channel.received.length;
    const b0 = performance.now();
    const bTimes: number[] = [];
    for (const p of subset) {
      const s = performance.now();
      const outcome = await proactive.toContact(WS, p.contactId, 'Baseline message');
      bTimes.push(performance.now() - s);
      if (outcome !== 'sent') throw new Error(`baseline send ${outcome}`);
    }
    const bWall = performance.now() - b0;
    const bRate = (subset.length / bWall) * 1000;
    const bGot = channel.received.length - bMark;
    log(
      `baseline (sequential toContact): ${fmt(subset.length)} messages in ${ms(bWall)}: ${fmt(bRate)} messages/s; channel got ${fmt(bGot)}`,
    );
    log(`  per message: ${line(summarize(bTimes))}`);
    log(`campaign sender vs baseline: ${(rate / bRate).toFixed(1)}x the messages per second`);
    return dup === 0 && missing === 0 && view.counts.sent === n;
  } finally {
    await channel.close();
    if (app) {
      await app.conn.db?.dropDatabase();
      await app.stop();
    }
    await provided.stop();
  }
}
