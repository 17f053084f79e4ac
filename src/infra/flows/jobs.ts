/**
 * The flows' Agenda jobs: `flow.wake` (a timer of one instance: one job per wake-up, cancelled
 * when XState cancels the delayed event or the instance stops) and `flow.dwell` (the end of a
 * binding's minimum dwell). Both re-check the instance, so a job that escaped cancellation, or
 * ran twice after a crash, does nothing.
 */
import type { Agenda, Job } from 'agenda';
import type { Logger } from '../logger';
import type { TimerPort, WakeJobData } from './stepper';

export const FLOW_WAKE_JOB = 'flow.wake';
export const FLOW_DWELL_JOB = 'flow.dwell';

export interface DwellJobData {
  workspaceId: string;
  instanceId: string;
}

export function agendaTimers(
  agenda: Agenda,
  log: Logger,
): TimerPort & {
  scheduleDwell(at: Date, data: DwellJobData): Promise<string | null>;
} {
  const idOf = (job: Job<unknown>) => (job.attrs._id === undefined ? null : String(job.attrs._id));
  return {
    schedule: async (at, data) => idOf(await agenda.schedule(at, FLOW_WAKE_JOB, data)),
    scheduleDwell: async (at, data) => idOf(await agenda.schedule(at, FLOW_DWELL_JOB, data)),
    async cancel(jobIds) {
      for (const id of jobIds) {
        if (id === null) continue;
        // Best effort: the job re-checks the instance, so a failure only costs a no-op run.
        await agenda
          .cancel({ id })
          .catch((err: unknown) => log.warn({ err, id }, 'flows: could not cancel a job'));
      }
    },
  };
}

const isWake = (d: unknown): d is WakeJobData => {
  const x = d as Partial<WakeJobData> | undefined;
  return (
    typeof x?.workspaceId === 'string' &&
    typeof x.instanceId === 'string' &&
    typeof x.sendId === 'string' &&
    typeof x.rev === 'number'
  );
};
const isDwell = (d: unknown): d is DwellJobData => {
  const x = d as Partial<DwellJobData> | undefined;
  return typeof x?.workspaceId === 'string' && typeof x.instanceId === 'string';
};

export interface FlowJobHandlers {
  wake(data: WakeJobData): Promise<void>;
  dwell(data: DwellJobData): Promise<void>;
}

/**
 * Defines both jobs. `lockMs` is Agenda's lockLifetime: a job whose process died is run again by
 * another process after it (Agenda's default, 10 minutes, would leave a timer that long late).
 */
export function defineFlowJobs(agenda: Agenda, h: FlowJobHandlers, lockMs: number, log: Logger): void {
  const opts = { removeOnComplete: true, lockLifetime: lockMs, concurrency: 50, lockLimit: 500 };
  agenda.define(
    FLOW_WAKE_JOB,
    async (job: Job<unknown>) => {
      if (!isWake(job.attrs.data)) return log.error({ data: job.attrs.data }, 'flows: bad wake job data');
      await h.wake(job.attrs.data);
    },
    opts,
  );
  agenda.define(
    FLOW_DWELL_JOB,
    async (job: Job<unknown>) => {
      if (!isDwell(job.attrs.data)) return log.error({ data: job.attrs.data }, 'flows: bad dwell job data');
      await h.dwell(job.attrs.data);
    },
    opts,
  );
}
