/**
 * The flows' Agenda jobs:
 * - `flow.tick`: the timers, coalesced. A delayed event's due instant, rounded up to `TICK_MS`,
 *   gets one job shared by every instance due then (an upsert, so a burst of 10,000 waits makes a
 *   few hundred jobs, not 10,000: Agenda locks jobs one at a time, and one job per timer took
 *   minutes to drain at that size). The tick steps every instance with a due timer; the timers
 *   themselves live in the instances, so cancelling one is removing it there.
 * - `flow.wake`: one job per wake-up, as instances scheduled before the tick existed still have.
 * - `flow.dwell`: the end of a binding's minimum dwell.
 * All re-check the instance, so a job that escaped cancellation, or ran twice after a crash,
 * does nothing.
 */
import type { Agenda, Job } from 'agenda';
import type { Logger } from '../logger';
import type { TimerPort, WakeJobData } from './stepper';

export const FLOW_WAKE_JOB = 'flow.wake';
export const FLOW_DWELL_JOB = 'flow.dwell';
export const FLOW_TICK_JOB = 'flow.tick';
/** Due instants are rounded up to this: a timer runs at most this much late, plus Agenda's poll. */
export const TICK_MS = 100;

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
  // Ticks this process has saved (or is saving) that are still ahead: a batch of steps that all
  // wait the same time shares one upsert instead of one each. Past ticks are forgotten.
  const saved = new Map<number, Promise<unknown>>();
  return {
    // The tick is shared, so no job id is kept for the instance's timer (cancelling is a no-op).
    async schedule(at) {
      const tick = Math.ceil(at.getTime() / TICK_MS) * TICK_MS;
      for (const t of saved.keys()) if (t <= Date.now()) saved.delete(t);
      let save = saved.get(tick);
      if (!save) {
        save = agenda
          .create(FLOW_TICK_JOB, { at: tick })
          .unique({ 'data.at': tick }, { insertOnly: true })
          .schedule(new Date(tick))
          .save();
        saved.set(tick, save);
        // A failed save is not remembered: the next timer of this tick tries again.
        save.catch(() => saved.delete(tick));
      }
      await save;
      return null;
    },
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
  /** Steps the instances whose timers are due. */
  tick(): Promise<void>;
}

/**
 * Defines the jobs. `lockMs` is Agenda's lockLifetime: a job whose process died is run again by
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
  agenda.define(FLOW_TICK_JOB, () => h.tick(), opts);
  agenda.define(
    FLOW_DWELL_JOB,
    async (job: Job<unknown>) => {
      if (!isDwell(job.attrs.data)) return log.error({ data: job.attrs.data }, 'flows: bad dwell job data');
      await h.dwell(job.attrs.data);
    },
    opts,
  );
}
