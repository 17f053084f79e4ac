/**
 * RunControl for the campaign service: pause, resume and cancel a run through conditional
 * updates, and tell this process's sender at once (another process's sender notices within
 * ~100 ms, when it next reads the run). Cancel marks what was not sent as `skipped`.
 */
import type { RunControl } from '../../domain/campaigns/service';
import type { Campaign } from '../../domain/campaigns/types';
import type { DeliveryRepo } from './deliveries';
import type { CampaignJobs } from './jobs';
import type { RunRepo } from './repo';

export interface ControlDeps {
  runs: RunRepo;
  deliveries: DeliveryRepo;
  jobs: CampaignJobs;
  stopped: Set<string>;
  clock: () => Date;
}

export function runControl(d: ControlDeps): RunControl {
  return {
    scheduleOccurrence: async (c, at) => {
      await d.jobs.scheduleOccurrence(c, at);
    },
    runStatus: async (ws, runId) => (await d.runs.get(ws, runId))?.status ?? null,
    async pauseRun(ws, runId) {
      if (await d.runs.setStatus(ws, runId, ['sending'], 'paused')) d.stopped.add(runId);
    },
    async resumeRun(ws, runId) {
      await d.runs.setStatus(ws, runId, ['paused'], 'sending');
      d.stopped.delete(runId);
      await d.jobs.scheduleRun(ws, runId);
    },
    async cancel(c: Campaign) {
      if (!c.currentRunId) return;
      const now = d.clock();
      await d.runs.setStatus(c.workspaceId, c.currentRunId, ['sending', 'paused'], 'cancelled', {
        finishedAt: now,
      });
      d.stopped.add(c.currentRunId);
      await d.deliveries.skipPending(c.workspaceId, c.currentRunId, 'campaign cancelled', now);
    },
    counts: (ws, campaignId, runId) => d.deliveries.counts(ws, campaignId, runId),
  };
}
