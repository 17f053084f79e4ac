/**
 * The daily snapshot job (Agenda, every hour in every process that runs jobs): for each segment,
 * every complete UTC day of the last 90 since its creation that has no snapshot gets one — its
 * end-of-day size, entries and exits, reconstructed from the live size and the transitions after
 * that day. Written with `$setOnInsert` under the unique (workspace, segment, day) index: a
 * re-run, or two processes at once, never change or duplicate a day.
 */
import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import type { Agenda, Job } from 'agenda';
import { dayStart, DAY_MS, utcDay } from '../../domain/reports/history';
import type { Snapshot } from '../../domain/reports/types';
import type { Segment } from '../../domain/segments/types';
import type { Logger } from '../logger';
import { isDuplicateKey } from '../repos/mongoErrors';
import type { ReportService } from './service';

export const SNAPSHOT_JOB = 'reports.snapshot';
export const SNAPSHOT_DAYS = 90;
export const SNAPSHOT_EVERY_MS = 3_600_000;
/** A day is snapshotted once it has been over for this long (late outbox moves have landed). */
const SETTLE_MS = 60_000;

export class SnapshotTaker {
  constructor(
    private readonly db: Db,
    private readonly reports: ReportService,
    private readonly snapshots: Collection<Snapshot>,
    private readonly clock: () => Date,
  ) {}

  /**
   * Snapshots every workspace; returns how many day records were written. `between` runs after
   * each segment (the job renews its Agenda lock there: a first backfill of 90 days can take
   * longer than the lock).
   */
  async runAll(between: () => Promise<unknown> = () => Promise.resolve()): Promise<number> {
    const workspaces: string[] = await this.db.collection<Segment>('segments').distinct('workspaceId');
    let written = 0;
    for (const ws of workspaces) written += await this.run(ws, between);
    return written;
  }

  async run(workspaceId: string, between: () => Promise<unknown> = () => Promise.resolve()): Promise<number> {
    let written = 0;
    for (const s of await this.reports.resolveAll(workspaceId)) {
      written += await this.segment(workspaceId, s);
      await between();
    }
    return written;
  }

  private async segment(workspaceId: string, s: Segment): Promise<number> {
    const now = this.clock();
    const { history, snapshots } = await this.reports.histories(workspaceId, [s], SNAPSHOT_DAYS);
    const takenAt = new Date();
    const created = utcDay(s.createdAt);
    const ops: AnyBulkWriteOperation<Snapshot>[] = [];
    for (const p of history.get(s._id) ?? []) {
      const complete = dayStart(p.day).getTime() + DAY_MS + SETTLE_MS <= now.getTime();
      if (!complete || p.day < created || snapshots.get(s._id)?.has(p.day)) continue;
      const key = { workspaceId, segmentId: s._id, day: p.day };
      ops.push({
        updateOne: {
          filter: key,
          update: { $setOnInsert: { ...key, size: p.size, entered: p.entered, exited: p.exited, takenAt } },
          upsert: true,
        },
      });
    }
    if (ops.length === 0) return 0;
    try {
      return (await this.snapshots.bulkWrite(ops, { ordered: false })).upsertedCount;
    } catch (err) {
      // Another process wrote some of the same days first: theirs stand (same values).
      if (isDuplicateKey(err)) return 0;
      throw err;
    }
  }
}

/** Defines the job and schedules it (one recurring job, however many processes call this). */
export async function scheduleSnapshots(agenda: Agenda, taker: SnapshotTaker, log: Logger): Promise<void> {
  // A short lock renewed after each segment (touch): a process that dies mid-run frees the job
  // soon, and Agenda's after-run timer (half the lock) does not hold a stopping process for minutes.
  agenda.define(
    SNAPSHOT_JOB,
    async (job: Job) => {
      const written = await taker.runAll(() => job.touch());
      if (written > 0) log.info({ written }, 'reports: daily snapshots written');
    },
    { lockLifetime: 10_000, concurrency: 1 },
  );
  await agenda.every(SNAPSHOT_EVERY_MS, SNAPSHOT_JOB);
}
