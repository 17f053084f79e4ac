/**
 * `--only=directline`: what the built-in Direct Line adds to a bot turn. The same users say the
 * same lines through Direct Line as Web Chat does (POST the activity, then GET the activities
 * after the watermark: the reply is there, since the POST returns once the bot's turn is over)
 * and, as the baseline, straight to /api/messages through the test channel (no Direct Line:
 * the replies arrive at the channel during the turn). 10 users at a time, alternating which path
 * goes first, on one in-process app over mongo-java-server.
 */
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { ChannelUser, TestChannel } from '../../bot/cli/channel';
import { startApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { BenchOptions } from './index';
import { line, summarize } from './stats';

const KEY = 'bench-directline-key-0123456789';
const USERS = 50;
const LINES = ['hi', 'offers', 'help', 'what can you do', 'menu', 'offers'];
const CONCURRENCY = 10;

export async function benchDirectLine(log: (line: string) => void, _opts: BenchOptions): Promise<boolean> {
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    LOG_LEVEL: 'silent',
    ADMIN_API_KEY: KEY,
    DB_NAME: `bench_directline_${process.pid}`,
  });
  const app = await startApp(config, pino({ level: 'silent' }), 'test');
  const channel = await TestChannel.start();
  const base = `http://127.0.0.1:${app.port}`;
  const times = { directline: [] as number[], direct: [] as number[] };
  let ok = true;
  try {
    const call = async (method: string, path: string, auth: string, body?: unknown) => {
      const res = await fetch(`${base}/v3/directline${path}`, {
        method,
        headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return (await res.json()) as Record<string, any>;
    };
    const user = async (i: number) => {
      const started = await call('POST', '/tokens/generate', KEY, { user: { id: `dl-bench-${i}` } });
      const token = String(started.token);
      const conversationId = String(started.conversationId);
      await call('POST', '/conversations', token);
      let watermark = String(
        (await call('GET', `/conversations/${conversationId}/activities`, token)).watermark,
      );
      const direct = new ChannelUser(channel, { botUrl: `${base}/api/messages`, userId: `cli-bench-${i}` });
      for (const [n, text] of LINES.entries()) {
        const viaDirectLine = async () => {
          const t0 = performance.now();
          await call('POST', `/conversations/${conversationId}/activities`, token, { type: 'message', text });
          const page = await call(
            'GET',
            `/conversations/${conversationId}/activities?watermark=${watermark}`,
            token,
          );
          times.directline.push(performance.now() - t0);
          watermark = String(page.watermark);
          if ((page.activities as unknown[]).length < 2) ok = false; // the echo and at least one reply
        };
        const viaChannel = async () => {
          const t0 = performance.now();
          const r = await direct.send(text);
          times.direct.push(performance.now() - t0);
          if (r.replies.length < 1) ok = false;
        };
        for (const step of (i + n) % 2 ? [viaDirectLine, viaChannel] : [viaChannel, viaDirectLine])
          await step();
      }
    };
    const t0 = performance.now();
    for (let i = 0; i < USERS; i += CONCURRENCY)
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, USERS - i) }, (_, k) => user(i + k)));
    const dl = summarize(times.directline);
    const direct = summarize(times.direct);
    log(
      `${USERS} users × ${LINES.length} lines, ${CONCURRENCY} users at a time, ${app.engine}, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    log(`Direct Line (POST + GET after the watermark): ${line(dl)}`);
    log(`baseline, straight to /api/messages:          ${line(direct)}`);
    log(
      `Direct Line / baseline: p50 ${(dl.p50 / direct.p50).toFixed(2)}×, p99 ${(dl.p99 / direct.p99).toFixed(2)}×, mean ${(dl.mean / direct.mean).toFixed(2)}×`,
    );
    if (!ok) log('FAILED: a turn came back without its reply');
    return ok;
  } finally {
    await channel.close();
    await app.conn.db?.dropDatabase();
    await app.stop();
  }
}
