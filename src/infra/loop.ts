/**
 * A background loop for claim-based workers (sweeper, rebuilds, dispatcher): runs `tick` again at
 * once while it reports work done, otherwise after `intervalMs`. Errors are logged, never thrown
 * into the void; `stop()` waits for the running tick.
 */
import type { Logger } from './logger';

export interface Loop {
  stop(): Promise<void>;
}

export function startLoop(name: string, intervalMs: number, tick: () => Promise<number>, log: Logger): Loop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const run = (): void => {
    running = tick().then(
      (done) => schedule(done > 0 ? 0 : intervalMs),
      (err: unknown) => {
        log.error({ err, loop: name }, `${name}: tick failed`);
        schedule(intervalMs);
      },
    );
  };
  const schedule = (ms: number): void => {
    if (!stopped) timer = setTimeout(run, ms);
  };
  schedule(0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
