/**
 * Send-rate and concurrency limits for one run (pure timing, no I/O): a token bucket refilled at
 * `ratePerSecond` with a burst of 50 ms worth of messages, and at most `concurrency` in flight.
 */
export class Pacer {
  private tokens = 1;
  private last: number;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly burst: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly concurrency: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.last = clock();
    this.burst = Math.max(1, ratePerSecond / 20);
  }

  /** Waits until at least one message may go; resolves with how many may go now (≤ max). */
  async admit(max: number): Promise<number> {
    for (;;) {
      this.refill();
      const slots = this.concurrency - this.inFlight.size;
      if (slots > 0 && this.tokens >= 1) {
        const n = Math.max(1, Math.min(max, slots, Math.floor(this.tokens)));
        this.tokens -= n;
        return n;
      }
      if (slots <= 0) await Promise.race(this.inFlight);
      else await sleep(Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond));
    }
  }

  /** Tracks a message in flight until it settles. */
  track(p: Promise<void>): void {
    const tracked = p.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private refill(): void {
    const now = this.clock();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.ratePerSecond) / 1000);
    this.last = now;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
