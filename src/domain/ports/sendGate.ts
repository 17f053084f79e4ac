/**
 * Whether outbound messages may start: campaign waves, flow steps. A graceful stop closes the gate
 * before anything else, so no send starts after SIGTERM/SIGINT; what is already in flight finishes
 * and is recorded while the rest of the stop proceeds (docs/delivery.md). One gate per process.
 */
export interface SendGate {
  /** False from the moment the stop began. */
  readonly open: boolean;
}

/** The process's gate: open until `close()`, then closed for good; `onClose` runs once, at once. */
export class StopGate implements SendGate {
  private closed = false;
  private readonly listeners: (() => void)[] = [];

  get open(): boolean {
    return !this.closed;
  }

  /** Runs `fn` when the gate closes (at once if it has). */
  onClose(fn: () => void): void {
    if (this.closed) fn();
    else this.listeners.push(fn);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const fn of this.listeners.splice(0)) fn();
  }
}

/** A gate that never closes (tools and tests that do not stop gracefully). */
export const ALWAYS_OPEN: SendGate = { open: true };
