/**
 * Agenda on mongoose's own `Db` (one connection for everything). Errors are logged and reflected
 * in `state()`, never left as unhandled rejections.
 */
import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda } from 'agenda';
import type { Db } from 'mongodb';
import type { Logger } from './logger';

export type SchedulerState = 'starting' | 'ok' | 'error' | 'stopped';

export interface Scheduler {
  agenda: Agenda;
  start(): Promise<void>;
  /** Takes no new job from now on; lets running jobs finish for up to `timeoutMs`. */
  stop(timeoutMs: number): Promise<void>;
  state(): SchedulerState;
}

export function createScheduler(
  db: Db,
  opts: { processEveryMs: number; name: string; log: Logger },
): Scheduler {
  // processEvery in milliseconds: agenda 6.2.6 misreads '200 milliseconds' as 200,000 ms.
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: db, collection: 'agendaJobs' }),
    processEvery: opts.processEveryMs,
    name: opts.name,
  });
  let state: SchedulerState = 'starting';
  let stopping: Promise<void> | undefined;
  let lastErrorAt = 0;
  agenda.on('error', (err: Error) => {
    lastErrorAt = Date.now();
    opts.log.error({ err }, 'scheduler: error');
  });
  agenda.on('fail', (err: Error | string, job: { attrs?: { name?: string } }) => {
    opts.log.warn({ err, job: job.attrs?.name }, 'scheduler: job failed');
  });
  return {
    agenda,
    async start() {
      await agenda.start();
      state = 'ok';
    },
    // Once: a second call (the shutdown's own step after an early start) waits for the same drain.
    stop(timeoutMs) {
      state = 'stopped';
      stopping ??= drain(agenda, timeoutMs).then((result) => {
        if (result.timedOut)
          opts.log.warn({ running: result.running }, 'scheduler: jobs still running at shutdown');
      });
      return stopping;
    },
    state: () => (state === 'ok' && Date.now() - lastErrorAt < 60_000 ? 'error' : state),
  };
}

/**
 * `agenda.drain`, ended as soon as no job runs. Agenda's own drain waits for `complete` events, and
 * a job Agenda cancels itself (its lock check firing while the job saves its end) sends none: the
 * drain then sat out its whole timeout (10 s) although nothing ran.
 */
async function drain(agenda: Agenda, timeoutMs: number) {
  const idle = new AbortController();
  const watch = setInterval(() => {
    agenda.getRunningStats().then(
      (s) => {
        if (Object.values(s.jobStatus ?? {}).every((j) => !j?.running)) idle.abort();
      },
      () => idle.abort(), // not running at all
    );
  }, 100);
  try {
    return await agenda.drain({ timeout: timeoutMs, closeConnection: false, signal: idle.signal });
  } finally {
    clearInterval(watch);
  }
}
