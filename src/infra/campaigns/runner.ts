/**
 * Runs one campaign run in this process: takes the run's lease (one sender per run across all
 * processes), writes the audience snapshot if it is not complete, turns records a dead sender
 * left in `sending` into `unknown`, then sends until the run is drained, paused, cancelled, quiet
 * hours begin, the lease is lost or the process stops gracefully (then the run is rescheduled for
 * the next start). The lease is renewed (and the Agenda job touched) while it works.
 */
import { randomUUID } from 'node:crypto';
import { quietUntil } from '../../domain/campaigns/schedule';
import { compileTemplate, type RenderFn } from '../../domain/campaigns/template';
import { slugify } from '../../domain/segments/types';
import type { Campaign, CampaignRun } from '../../domain/campaigns/types';
import type { SendGate } from '../../domain/ports/sendGate';
import type { Logger } from '../logger';
import type { CampaignRepo, RunRepo } from './repo';
import { sendPending, type SendLoopDeps } from './sendLoop';

export type RunOutcome =
  | { kind: 'finished' }
  | { kind: 'paused' }
  | { kind: 'busy'; retryAt: Date }
  | { kind: 'quiet'; until: Date };

export interface RunnerDeps extends SendLoopDeps {
  campaigns: CampaignRepo;
  /** The audience segment's name, for `{{segment.name}}` (null when it was deleted). */
  segmentName: (workspaceId: string, segmentId: string) => Promise<string | null>;
  runs: RunRepo;
  lockMs: number;
  log: Logger;
  /** Runs this process was told to stop at once (pause or cancel through this process). */
  stopped: Set<string>;
  /** Closed by a graceful stop: no wave is claimed after it; the run goes on after a restart. */
  gate: SendGate;
}

const POLL_MS = 100;

export class RunRunner {
  private readonly active = new Set<Promise<unknown>>();

  constructor(private readonly d: RunnerDeps) {}

  /** Resolves when this process sends no run (a graceful stop waits for it before the database closes). */
  async idle(): Promise<void> {
    while (this.active.size) await Promise.allSettled([...this.active]);
  }

  /** `touch` keeps the calling job's lock alive; called with the lease renewals. */
  process(ws: string, runId: string, touch: () => Promise<void> = async () => {}): Promise<RunOutcome> {
    const p = this.session(ws, runId, touch);
    this.active.add(p);
    void p.catch(() => undefined).finally(() => this.active.delete(p));
    return p;
  }

  private async session(ws: string, runId: string, touch: () => Promise<void>): Promise<RunOutcome> {
    const { runs, lockMs, clock, gate } = this.d;
    // Stopping: leave the run to the next start (the job is rescheduled, not dropped).
    if (!gate.open) return { kind: 'busy', retryAt: clock() };
    const owner = randomUUID();
    const run = await runs.acquire(ws, runId, owner, clock(), lockMs);
    if (!run) {
      const r = await runs.get(ws, runId);
      if (!r || r.status === 'completed' || r.status === 'cancelled') return { kind: 'finished' };
      return { kind: 'busy', retryAt: new Date((r.leaseUntil ?? clock()).getTime() + 50) };
    }
    this.d.stopped.delete(runId);
    let status = run.status;
    let lost = false;
    // Two loops: the status read every 100 ms (pause and cancel from other processes), and the
    // lease renewal, which must not wait behind a slow status read.
    let reading = false;
    const poll = setInterval(() => {
      if (reading) return;
      reading = true;
      void runs
        .get(ws, runId)
        .then((r) => (status = r?.status ?? 'cancelled'))
        .catch((err: unknown) => this.d.log.warn({ err, runId }, 'campaigns: run status not read'))
        .finally(() => (reading = false));
    }, POLL_MS);
    const renew = setInterval(() => {
      void (async () => {
        lost ||= !(await runs.renew(ws, runId, owner, new Date(clock().getTime() + lockMs)));
        await touch();
      })().catch((err: unknown) => this.d.log.warn({ err, runId }, 'campaigns: lease renewal failed'));
    }, lockMs / 4);
    try {
      return await this.work(
        run,
        owner,
        () => lost || status !== 'sending' || this.d.stopped.has(runId) || !gate.open,
      );
    } finally {
      clearInterval(poll);
      clearInterval(renew);
      await runs.release(ws, runId, owner);
    }
  }

  private async work(run: CampaignRun, owner: string, stop: () => boolean): Promise<RunOutcome> {
    const { campaigns, runs, deliveries, clock, log } = this.d;
    const ws = run.workspaceId;
    if (run.status === 'cancelled') await this.skipCancelled(run);
    if (run.status === 'completed' || run.status === 'cancelled') return { kind: 'finished' };
    const campaign = await campaigns.get(ws, run.campaignId);
    if (!campaign) return { kind: 'finished' };
    if (!run.snapshotDone) await this.snapshot(campaign, run);
    const unknown = await deliveries.recoverSending(ws, run._id, clock());
    if (unknown) log.warn({ runId: run._id, unknown }, 'campaigns: records left in sending are now unknown');
    const quiet = quietUntil(campaign.quietHours, clock());
    if (quiet) return { kind: 'quiet', until: quiet };
    let quietAt: Date | undefined;
    const template = compileTemplate(campaign.template.source);
    const name = await this.d.segmentName(ws, campaign.audience.segmentId);
    const segment = name === null ? null : { name, slug: slugify(name) };
    const render: RenderFn = (m) => template({ ...m, segment });
    const end = await sendPending(this.d, campaign, run._id, owner, render, () => {
      quietAt ??= quietUntil(campaign.quietHours, clock());
      return stop() || quietAt !== undefined;
    });
    if (quietAt) return { kind: 'quiet', until: quietAt };
    if (end === 'stopped') {
      const now = await runs.get(ws, run._id);
      if (now?.status === 'cancelled') await this.skipCancelled(run);
      return now?.status === 'sending' ? { kind: 'busy', retryAt: clock() } : { kind: 'paused' };
    }
    await this.complete(campaign, run);
    return { kind: 'finished' };
  }

  /** Records this sender put back to pending after the cancel's own sweep end as skipped too. */
  private async skipCancelled(run: CampaignRun): Promise<void> {
    await this.d.deliveries.skipPending(run.workspaceId, run._id, 'campaign cancelled', this.d.clock());
  }

  /** The member ids at this instant, as `pending` records; a half-written snapshot is redone. */
  private async snapshot(campaign: Campaign, run: CampaignRun): Promise<void> {
    const { deliveries, audience, runs, clock } = this.d;
    const ws = run.workspaceId;
    await deliveries.clearRun(ws, run._id);
    let total = 0;
    for await (const ids of audience.memberIds(ws, campaign.audience)) {
      await deliveries.insertPending(ws, campaign._id, run._id, ids, clock());
      total += ids.length;
    }
    await runs.snapshotDone(ws, run._id, total);
    this.d.log.info({ runId: run._id, total }, 'campaigns: audience snapshot written');
  }

  private async complete(campaign: Campaign, run: CampaignRun): Promise<void> {
    const { runs, campaigns, clock } = this.d;
    const now = clock();
    if (!(await runs.setStatus(run.workspaceId, run._id, ['sending'], 'completed', { finishedAt: now })))
      return;
    const oneOff = campaign.schedule.kind === 'now' || campaign.schedule.kind === 'at';
    await campaigns.transition(run.workspaceId, campaign._id, ['running'], {
      status: oneOff ? 'completed' : 'scheduled',
      updatedAt: now,
    });
    this.d.log.info({ runId: run._id, campaign: campaign.name }, 'campaigns: run completed');
  }
}
