/** The bot benchmark's output: which templates the users get, latency per mode, and on/off. */
import type { Db } from 'mongodb';
import type { App } from '../../src/app';
import type { Segment } from '../../src/domain/segments/types';
import type { ContactDoc } from '../../src/infra/membership/store';
import type { PairedRun } from './botTurns';
import type { BenchUser } from './botUsers';
import { fmt, line, ms, summarize, type Summary } from './stats';

/** How many users get which greeting template now, picked by the app's own personaliser. */
export async function greetingTemplates(
  db: Db,
  app: App,
  workspaceId: string,
  users: readonly BenchUser[],
): Promise<string> {
  const all = await db
    .collection<Segment>('segments')
    .find({ workspaceId })
    .sort({ priority: -1, name: 1 })
    .toArray();
  const docs = await db
    .collection<ContactDoc>('contacts')
    .find({ _id: { $in: users.map((u) => u.contactId) } }, { projection: { segments: 1 } })
    .toArray();
  const counts = new Map<string, number>();
  for (const d of docs) {
    const mine = new Set(d.segments.map((m) => m.segmentId));
    const slug = app.bot.personaliser.pick('greetings', { segments: all.filter((s) => mine.has(s._id)) });
    counts.set(slug, (counts.get(slug) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([slug, n]) => `${slug} ${n}`)
    .join(', ');
}

const ratio = (a: Summary, b: Summary, k: keyof Summary) => `${(a[k] / b[k]).toFixed(2)}×`;

/** Prints each mode and the on/off ratios; false if a turn failed or nothing was personalised. */
export function reportRun(
  run: PairedRun,
  asked: { users: number; turns: number },
  budgetMs: number,
  log: (line: string) => void,
): boolean {
  const on = summarize(run.on.latencies);
  const off = summarize(run.off.latencies);
  const turns = on.n + off.n + run.warmup.length;
  log('');
  log(
    `ran: ${fmt(run.users)} of ${fmt(asked.users)} users, ${fmt(on.n)} of ${fmt(asked.turns)} measured turns per mode` +
      (on.n < asked.turns ? ` (stopped starting turns at the ${fmt(budgetMs / 1000)} s budget)` : '') +
      `; ${fmt(turns)} turns in ${ms(run.wallMs)} ` +
      `(${(turns / (run.wallMs / 1000)).toFixed(1)} turns/s over both apps)`,
  );
  log(`personalisation on : ${line(on)}; failed turns ${run.on.failures}`);
  log(`personalisation off: ${line(off)}; failed turns ${run.off.failures}`);
  log(`warm-up (first turn of each user): ${line(summarize(run.warmup))}`);
  log(
    `on/off: p50 ${ratio(on, off, 'p50')}, p99 ${ratio(on, off, 'p99')}, max ${ratio(on, off, 'max')}, ` +
      `mean ${ratio(on, off, 'mean')} (on − off: p50 ${ms(on.p50 - off.p50)}, mean ${ms(on.mean - off.mean)})`,
  );
  let differ = 0;
  run.on.texts.forEach((turns, u) =>
    turns.forEach((t, i) => (differ += t !== run.off.texts[u]?.[i] ? 1 : 0)),
  );
  log(
    `replies that differ between on and off: ${fmt(differ)} of ${fmt(on.n)} turns ` +
      `(segment greetings and offers with personalisation on, the default ones with it off)`,
  );
  return run.on.failures + run.off.failures === 0 && differ > 0;
}
