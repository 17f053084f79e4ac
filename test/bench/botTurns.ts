/**
 * Drives the bot benchmark's turns over real HTTP. Each simulated user has two ChannelUsers on
 * one TestChannel, one per app (personalisation on and off), and says the same script to both,
 * turn by turn: each line to both apps back to back, even users to "on" first, odd users to "off"
 * first, so both modes see the same turns under the same load and any drift of the machine or
 * the database during the run falls on both.
 * Before its measured turns a user says one unmeasured "hi" (to the app it talks to first): its
 * first conversation changes its membership ("Active Today" in, "Inactive 30 Days" out), which
 * would otherwise land on one mode only. `concurrency` users talk at a time (a pool). Users and
 * turn pairs are started only while the wall-time budget lasts, so both modes always have the
 * same turns.
 *
 * A turn's latency runs from the POST to the HTTP response; the bot has delivered its replies to
 * the channel by then (the adapter sends them during the turn). A turn without a 200 and at least
 * one reply counts as failed.
 */
import { performance } from 'node:perf_hooks';
import { ChannelUser, type TestChannel } from '../../bot/cli/channel';
import type { BenchUser } from './botUsers';

/** Ten turns: greetings and offers (personalised) mixed with help and small talk (not). */
export const SCRIPT: readonly string[] = [
  'hi',
  'offers',
  'help',
  'what can you do?',
  'hello',
  'offers',
  'menu',
  'thanks',
  'offer',
  'hey',
];

export type Mode = 'on' | 'off';

export interface ModeTurns {
  /** Milliseconds per measured turn, in completion order. */
  latencies: number[];
  /** The first reply's text per user and turn (`texts[user][turn]`; users that ran only). */
  texts: string[][];
  failures: number;
}

export interface PairedRun {
  on: ModeTurns;
  off: ModeTurns;
  warmup: number[];
  /** How many users talked (all of them unless the budget ran out). */
  users: number;
  wallMs: number;
}

export interface PairedOptions {
  channel: TestChannel;
  users: readonly BenchUser[];
  botUrls: Record<Mode, string>;
  script: readonly string[];
  concurrency: number;
  budgetMs: number;
}

export async function runPaired(o: PairedOptions): Promise<PairedRun> {
  const modes = (): ModeTurns => ({ latencies: [], texts: [], failures: 0 });
  const out: PairedRun = { on: modes(), off: modes(), warmup: [], users: 0, wallMs: 0 };
  const t0 = performance.now();
  const inBudget = () => performance.now() - t0 < o.budgetMs;
  const send = async (mode: Mode, who: ChannelUser, text: string, into: number[]) => {
    const s0 = performance.now();
    const r = await who.send(text);
    into.push(performance.now() - s0);
    if (r.status !== 200 || r.replies.length === 0) out[mode].failures++;
    return r.replies[0]?.text ?? '';
  };
  let next = 0;
  const worker = async () => {
    while (next < o.users.length && inBudget()) {
      const i = next++;
      const order: Mode[] = i % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
      const talk = Object.fromEntries(
        order.map((mode) => [mode, talker(o.channel, o.botUrls[mode], o.users[i]!, mode)]),
      ) as Record<Mode, ChannelUser>;
      out.on.texts[i] = [];
      out.off.texts[i] = [];
      out.users++;
      await send(order[0]!, talk[order[0]!], 'hi', out.warmup);
      for (const text of o.script) {
        if (!inBudget()) break;
        for (const mode of order)
          out[mode].texts[i]!.push(await send(mode, talk[mode], text, out[mode].latencies));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, o.users.length) }, worker));
  out.wallMs = performance.now() - t0;
  return out;
}

/** The user's conversation with one app: `bench-<mode>-<userId>`. */
function talker(channel: TestChannel, botUrl: string, u: BenchUser, mode: Mode): ChannelUser {
  return new ChannelUser(channel, {
    botUrl,
    userId: u.userId,
    userName: u.name,
    channelId: u.channelId,
    conversationId: `bench-${mode}-${u.userId}`,
  });
}
