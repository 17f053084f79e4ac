/**
 * The durable handoff timeout: an Agenda job per request, scheduled before the request is stored
 * (so a crash in between leaves at worst a job that finds nothing to expire, never a request that
 * waits forever), cancelled on accept or cancel. The job itself only acts on a request still
 * `queued` (a conditional update), so a job that escaped cancellation does nothing.
 */
import type { Agenda, Job } from 'agenda';
import type { Logger } from '../../src/infra/logger';
import { mirrorState, type HandoffParts, type TimeoutJobData, type Timeouts } from './parts';
import { texts } from './texts';

export type { TimeoutJobData, Timeouts } from './parts';

export const HANDOFF_TIMEOUT_JOB = 'handoff.timeout';

/** Scheduling seen by the handoff; without Agenda, requests simply never time out. */
export function agendaTimeouts(agenda: Agenda | undefined, log: Logger): Timeouts {
  return {
    async schedule(at, data) {
      if (!agenda) return undefined;
      const job = await agenda.schedule(at, HANDOFF_TIMEOUT_JOB, data);
      return job.attrs._id === undefined ? undefined : String(job.attrs._id);
    },
    async cancel(jobId) {
      if (!agenda || jobId === undefined) return;
      // Best effort: the job re-checks the status, so a failure here only costs a no-op run.
      await agenda.cancel({ id: jobId }).catch((err: unknown) => {
        log.warn({ err, jobId }, 'handoff: could not cancel timeout job');
      });
    },
  };
}

function isJobData(data: unknown): data is TimeoutJobData {
  const d = data as Partial<TimeoutJobData> | undefined;
  return typeof d?.workspaceId === 'string' && typeof d.handoffId === 'string';
}

/** Expires the request if nobody accepted it, and apologises to the customer. */
export async function expireRequest(p: HandoffParts, data: TimeoutJobData): Promise<void> {
  const expired = await p.repo.expire(data.workspaceId, data.handoffId, p.clock());
  if (!expired) return; // accepted, cancelled or already expired
  await mirrorState(p, expired.workspaceId, expired.contactId, null);
  const outcome = await p.sender.toContact(expired.workspaceId, expired.contactId, texts.timeout, {
    respectOptOut: false,
  });
  p.log.info({ handoffId: expired._id, outcome }, 'handoff: expired unanswered');
}

/**
 * Defines the timeout job's processor on an Agenda instance (every process that runs jobs).
 * `lockMs` is Agenda's lockLifetime: the job takes milliseconds, and a short lock lets another
 * process retry it soon when the one running it dies (Agenda's default is 10 minutes). Agenda
 * also keeps a timer of half of it alive after each run, which is why tests pass a small one.
 */
export function defineTimeoutJob(agenda: Agenda, p: HandoffParts, lockMs: number): void {
  agenda.define(
    HANDOFF_TIMEOUT_JOB,
    async (job: Job<unknown>) => {
      const data = job.attrs.data;
      if (!isJobData(data)) {
        p.log.error({ data }, 'handoff: timeout job without workspaceId/handoffId, ignored');
        return;
      }
      await expireRequest(p, data);
    },
    { removeOnComplete: true, lockLifetime: lockMs },
  );
}
