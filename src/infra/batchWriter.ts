/**
 * Makes many small results durable together without making any of them wait long: an item is
 * written at most `maxDelayMs` after it arrived (plus the write itself), or at once when
 * `maxItems` are waiting. Writes run one after another, in arrival order. A failed write does not
 * stop later ones; `close()` waits for everything and throws the first failure.
 *
 * Delivery outcomes use it so a kill loses at most the last ~100 ms of answers (issue 25), with
 * one bulk write per batch rather than one round trip per message.
 */
/**
 * How long a delivery outcome (a campaign record, a flow step record) may wait before its write
 * starts: well inside the 100 ms within which issue 25 wants every answer durable.
 */
export const OUTCOME_DELAY_MS = 50;

export interface BatchWriterOptions {
  maxDelayMs: number;
  maxItems: number;
}

export class BatchWriter<T> {
  private waiting: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private failure: { err: unknown } | undefined;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly opts: BatchWriterOptions,
  ) {}

  push(item: T): void {
    this.waiting.push(item);
    if (this.waiting.length >= this.opts.maxItems) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.opts.maxDelayMs);
  }

  /** Starts writing what waits; resolves when it (and every earlier write) has finished. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting.splice(0);
    if (batch.length)
      this.chain = this.chain.then(() =>
        this.write(batch).catch((err: unknown) => {
          this.failure ??= { err };
        }),
      );
    return this.chain;
  }

  /** Writes what waits and waits for every write; throws the first write that failed. */
  async close(): Promise<void> {
    await this.flush();
    if (this.failure) throw this.failure.err;
  }
}
