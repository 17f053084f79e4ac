/**
 * Send-rate and concurrency limits for one run (pure timing, no I/O): a token bucket refilled at
 * `ratePerSecond` with a burst of 50 ms worth of messages, and at most `concurrency` in flight.
 * The sender asks it first and claims records only for what it admits (issue 25).
 */
export class Pacer {
  private tokens = 1;
  private last: number;
  private readonly inFlight = new Set<Promise<void>>();
  readonly burst: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly concurrency: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.last = clock();
    this.burst = Math.max(1, ratePerSecond / 20);
  }

  /**
   * Waits until at least `least` messages may go (tokens and free slots), then takes and returns
   * how many may go now, from `least` to `most`. `least` is lowered to what can ever be available
   * at once (the burst, the concurrency), so the wait always ends.
   */
  async admit(most: number, least = 1): Promise<number> {
    const floor = Math.max(1, Math.min(least, most, Math.floor(this.burst), this.concurrency));
    for (;;) {
      this.refill();
      const slots = this.concurrency - this.inFlight.size;
      if (slots >= floor && this.tokens >= floor) {
        const n = Math.max(floor, Math.min(most, slots, Math.floor(this.tokens)));
        this.tokens -= n;
        return n;
      }
      if (slots < floor) await Promise.race(this.inFlight);
      else await sleep(Math.ceil(((floor - this.tokens) * 1000) / this.ratePerSecond));
    }
  }

  /** Gives back tokens taken by `admit` for messages that will not go (a stop between the two). */
  refund(n: number): void {
    this.tokens = Math.min(this.burst, this.tokens + n);
  }

  /** Tracks a message in flight until it settles. */
  track(p: Promise<void>): void {
    const tracked = p.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  get inFlightCount(): number {
    return this.inFlight.size;
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
