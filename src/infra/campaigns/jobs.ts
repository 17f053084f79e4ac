/**
 * The campaign's durable jobs on Agenda: `campaign.occurrence` (a schedule fires: create the run,
 * start sending it, schedule the next occurrence of a recurring campaign) and `campaign.run`
 * (send a run; rescheduled for the end of quiet hours, or for when another process's lease
 * ends). Jobs only act through conditional updates and the run's lease, so a job that runs twice
 * or late does no harm. Their lock lifetime is the run lease's: a process that dies mid-run is
 * taken over within about that long.
 */
import type { Agenda, Job } from 'agenda';
import { nextOccurrence } from '../../domain/campaigns/schedule';
import type { Campaign } from '../../domain/campaigns/types';
import type { Logger } from '../logger';
import type { CampaignRepo, RunRepo } from './repo';
import type { RunRunner } from './runner';

export const OCCURRENCE_JOB = 'campaign.occurrence';
export const RUN_JOB = 'campaign.run';

export interface OccurrenceData {
  workspaceId: string;
  campaignId: string;
  /** ISO instant of the occurrence: also what the run's id is made of. */
  at: string;
}
export interface RunData {
  workspaceId: string;
  runId: string;
}

export interface JobDeps {
  agenda: Agenda;
  campaigns: CampaignRepo;
  runs: RunRepo;
  runner: RunRunner;
  lockMs: number;
  log: Logger;
  clock: () => Date;
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

export class CampaignJobs {
  constructor(private readonly d: JobDeps) {}

  scheduleOccurrence(c: Campaign, at: Date): Promise<unknown> {
    const data: OccurrenceData = { workspaceId: c.workspaceId, campaignId: c._id, at: at.toISOString() };
    return this.d.agenda.schedule(at, OCCURRENCE_JOB, data);
  }

  scheduleRun(workspaceId: string, runId: string, at: Date = this.d.clock()): Promise<unknown> {
    const data: RunData = { workspaceId, runId };
    return this.d.agenda.schedule(at, RUN_JOB, data);
  }

  define(): void {
    const { agenda, log, lockMs } = this.d;
    agenda.define(
      OCCURRENCE_JOB,
      async (job: Job<unknown>) => {
        const d = job.attrs.data as Partial<OccurrenceData> | undefined;
        if (!str(d?.workspaceId) || !str(d.campaignId) || !str(d.at))
          return log.error({ data: d }, 'campaigns: occurrence job without its data, ignored');
        await this.occur(d.workspaceId, d.campaignId, new Date(d.at));
      },
      { removeOnComplete: true, lockLifetime: lockMs },
    );
    agenda.define(
      RUN_JOB,
      async (job: Job<unknown>) => {
        const d = job.attrs.data as Partial<RunData> | undefined;
        if (!str(d?.workspaceId) || !str(d.runId))
          return log.error({ data: d }, 'campaigns: run job without its data, ignored');
        const outcome = await this.d.runner.process(d.workspaceId, d.runId, () => job.touch());
        if (outcome.kind === 'busy') await this.scheduleRun(d.workspaceId, d.runId, outcome.retryAt);
        if (outcome.kind === 'quiet') await this.scheduleRun(d.workspaceId, d.runId, outcome.until);
      },
      { removeOnComplete: true, lockLifetime: lockMs },
    );
  }

  /**
   * An occurrence is due: its run (id from campaign and instant, so a retried job finds it) is
   * created and sent. Paused or still sending the previous run: this occurrence is skipped.
   */
  async occur(ws: string, campaignId: string, at: Date): Promise<void> {
    const { campaigns, runs, log, clock } = this.d;
    const c = await campaigns.get(ws, campaignId);
    if (!c || !['scheduled', 'running', 'paused'].includes(c.status)) return;
    if (c.nextRunAt && c.nextRunAt.getTime() !== at.getTime()) return; // superseded (e.g. resumed)
    const next = nextOccurrence(c.schedule, at);
    const previous = c.currentRunId ? await runs.get(ws, c.currentRunId) : null;
    const busy = previous && (previous.status === 'sending' || previous.status === 'paused');
    const runId = `${c._id}-${at.getTime()}`;
    if (c.status === 'paused' || (busy && previous._id !== runId)) {
      log.warn({ campaign: c.name, at, status: c.status }, 'campaigns: occurrence skipped');
      if (next) await this.advance(c, next, {});
      return;
    }
    await runs.insert({
      _id: runId,
      workspaceId: ws,
      campaignId: c._id,
      occurrence: at,
      status: 'sending',
      snapshotDone: false,
      total: 0,
      createdAt: clock(),
    });
    await this.advance(c, next, { status: 'running', currentRunId: runId });
    await this.scheduleRun(ws, runId);
  }

  private async advance(c: Campaign, next: Date | null, patch: Partial<Campaign>): Promise<void> {
    const moved = await this.d.campaigns.transition(
      c.workspaceId,
      c._id,
      ['scheduled', 'running', 'paused'],
      {
        ...patch,
        ...(next ? { nextRunAt: next } : {}),
        updatedAt: this.d.clock(),
      },
    );
    if (moved && next) await this.scheduleOccurrence(moved, next);
  }
}
