/**
 * (c) Time precision: 1,000 contacts whose 7-day mark for "New This Week" falls within the same
 * minute (real clock; marks spread evenly from now+5 s to now+65 s), the engine's loops started as
 * in production, and the delay from each contact's exact instant (its nextFlip) to the `at` of its
 * `exited` transition. Run with the sweeper at its default interval, then at 100 ms (baseline).
 */
import { performance } from 'node:perf_hooks';
import type { Db } from 'mongodb';
import type { Logger } from '../../src/infra/logger';
import { Membership } from '../../src/infra/membership';
import { SegmentRepo } from '../../src/infra/repos/segments';
import { membershipCollections } from '../../src/infra/membership/store';
import { nextFlip } from '../../src/rules';
import { checkPositions } from './membershipChecks';
import { benchContacts, precompute } from './membershipLoad';
import { createSegments } from './membershipSegments';
import { fmt, line, ms, summarize, type Summary } from './stats';

const D = 86_400_000;
const LEAD_MS = 5_000;
const SPREAD_MS = 60_000;
const DEFAULT_SWEEP_MS = 500;

export interface TimeRound {
  sweepEveryMs: number | undefined;
  label: string;
}

interface RoundResult {
  delays: Summary;
  late: number;
  wallMs: number;
}

async function round(
  db: Db,
  repo: SegmentRepo,
  logger: Logger,
  workspaceId: string,
  n: number,
  sweepEveryMs: number | undefined,
): Promise<RoundResult> {
  const clock = () => new Date();
  const m = new Membership(db, repo, logger, { clock, ...(sweepEveryMs ? { sweepEveryMs } : {}) });
  await m.ensureIndexes();
  const segs = await createSegments(repo, workspaceId, clock);
  const newThisWeek = segs.find((s) => s.name === 'New This Week')!;
  const compiled = await m.catalog.get(workspaceId);

  const now = clock();
  const start = now.getTime() + LEAD_MS;
  const docs = benchContacts(n, workspaceId, now, 29).map((d, i) => {
    const mark = start + Math.floor((i * SPREAD_MS) / n);
    return { ...d, _id: `${workspaceId}:${d._id}`, createdAt: new Date(mark - 7 * D) };
  });
  precompute(docs, compiled, now);
  const exact = new Map<string, number>();
  for (const d of docs) {
    const flip = nextFlip(newThisWeek.rule!, d, now, compiled.ctx);
    if (!flip || !d.segments.some((s) => s.segmentId === newThisWeek._id)) {
      throw new Error(`contact ${d._id} is not a New This Week member with a flip`);
    }
    exact.set(d._id, flip.getTime());
  }
  await m.collections.contacts.insertMany(docs, { ordered: false });

  const exited = { workspaceId, segmentId: newThisWeek._id, kind: 'exited' as const };
  const t0 = performance.now();
  m.start();
  try {
    const deadline = start + SPREAD_MS + 60_000;
    while ((await m.collections.transitions.countDocuments(exited)) < n) {
      if (Date.now() > deadline) throw new Error('time precision: not every contact exited within 60 s');
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await m.stop();
  }
  const wallMs = performance.now() - t0;
  const ts = await m.collections.transitions.find(exited).toArray();
  const delays = ts.map((t) => t.at.getTime() - exact.get(t.contactId)!);
  const late = delays.filter((x) => x > 5_000).length;
  if (delays.some((x) => x < 0)) throw new Error('time precision: a transition came before its instant');
  return { delays: summarize(delays), late, wallMs };
}

/** Idle sweeper tick (nothing due) on a collection, median of 5. */
export async function idleSweepMs(m: Membership): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await m.sweep();
    times.push(performance.now() - t0);
  }
  return summarize(times).p50;
}

export async function benchTime(
  db: Db,
  logger: Logger,
  n: number,
  log: (line: string) => void,
): Promise<boolean> {
  const repo = new SegmentRepo(db);
  await repo.ensureIndexes();
  log(
    `(c) time precision: ${fmt(n)} contacts whose "createdAt within last 7 days" ends within the same ` +
      `minute (real clock; instants spread evenly over now+5 s … now+65 s), own database, the same 20 ` +
      `segments, Membership.start() (all loops, as in production); delay = transition.at − exact instant`,
  );
  const rounds: TimeRound[] = [
    { sweepEveryMs: undefined, label: `sweeper at its default interval (${DEFAULT_SWEEP_MS} ms)` },
    { sweepEveryMs: 100, label: 'baseline: sweeper every 100 ms' },
  ];
  for (const [i, r] of rounds.entries()) {
    const res = await round(db, repo, logger, `bench-time-${i + 1}`, n, r.sweepEveryMs);
    log(`  ${r.label}: ${line(res.delays)}; later than 5 s: ${res.late}; round took ${ms(res.wallMs)}`);
  }
  return checkPositions(membershipCollections(db), log);
}
