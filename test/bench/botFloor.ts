/**
 * The bot benchmark's floor: the same HTTP path with no database and no bot logic. Two app-like
 * servers (our restify server, CloudAdapter with authentication off, the messages route) run an
 * echo bot that replies once through the same TestChannel, with the same number of users in
 * flight. What a turn costs on this machine before the first query: the ceiling any bot here
 * can reach, which tells whether a latency goal is within reach at a given concurrency.
 */
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import type { Server } from 'restify';
import { createAdapter, registerBotRoute } from '../../bot/adapter';
import { ChannelUser, type TestChannel } from '../../bot/cli/channel';
import { loadConfig } from '../../src/config';
import { createHttpServer } from '../../src/infra/http/server';
import { summarize, type Summary } from './stats';

export interface Floor {
  turnsPerSecond: number;
  latency: Summary;
}

export async function echoFloor(channel: TestChannel, concurrency: number, turns = 2000): Promise<Floor> {
  const log = pino({ level: 'silent' });
  const servers: Server[] = [];
  try {
    const urls: string[] = [];
    for (let i = 0; i < 2; i++) {
      const server = createHttpServer({
        log,
        health: async () => ({ status: 'ok', db: 'ok', scheduler: 'none', version: 'floor' }),
      });
      const adapter = createAdapter(loadConfig({}).bot, log); // no app id: authentication off
      registerBotRoute(server, adapter, async (ctx) => {
        if (ctx.activity.type === 'message') await ctx.sendActivity(`echo ${ctx.activity.text ?? ''}`);
      });
      await new Promise<void>((resolve) => {
        server.listen(0, '127.0.0.1', () => resolve());
      });
      servers.push(server);
      urls.push(`http://127.0.0.1:${(server.address() as { port: number }).port}/api/messages`);
    }
    const users = Array.from({ length: 100 }, (_, i) =>
      urls.map((botUrl) => new ChannelUser(channel, { botUrl, userId: `floor-${i}` })),
    );
    for (const pair of users) for (const u of pair) await u.send('warm-up');
    const latencies: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let k = next++; k < turns; k = next++) {
          const user = users[k % users.length]![k % 2]!;
          const t = performance.now();
          const r = await user.send('hello');
          if (r.status !== 200 || r.replies.length === 0) throw new Error(`echo turn failed: ${r.status}`);
          latencies.push(performance.now() - t);
        }
      }),
    );
    return { turnsPerSecond: turns / ((performance.now() - t0) / 1000), latency: summarize(latencies) };
  } finally {
    for (const s of servers) s.close();
  }
}
