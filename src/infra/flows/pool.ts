/**
 * A small in-process work pool: runs keyed tasks with bounded concurrency, skipping a key that is
 * already queued or running. Losing the queue in a crash is fine: every task's intent is in the
 * database, and the recovery loop finds it.
 */
import type { Logger } from '../logger';

export class KeyedPool {
  private readonly queue: { key: string; run: () => Promise<unknown> }[] = [];
  private readonly keys = new Set<string>();
  private active = 0;
  private idle: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly log: Logger,
  ) {}

  push(key: string, run: () => Promise<unknown>): void {
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.queue.push({ key, run });
    this.next();
  }

  /** Resolves when nothing is queued or running. */
  drained(): Promise<void> {
    if (this.active === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Drops what has not started (the recovery loop of the next start picks it up). */
  clear(): void {
    for (const t of this.queue.splice(0)) this.keys.delete(t.key);
  }

  private next(): void {
    while (this.active < this.concurrency && this.queue.length > 0) {
      const task = this.queue.shift()!;
      this.active++;
      task
        .run()
        .catch((err: unknown) => this.log.error({ err, key: task.key }, 'flows: task failed'))
        .finally(() => {
          this.active--;
          this.keys.delete(task.key);
          this.next();
          if (this.active === 0 && this.queue.length === 0) for (const r of this.idle.splice(0)) r();
        });
    }
  }
}
