/**
 * What the customer side, the agent side and the timeout job of the handoff share; built once by
 * `createHandoff`. Holds no state of its own: everything lives in the database.
 */
import type { Logger } from '../../src/infra/logger';
import type { Clock } from '../../src/domain/membership/transitions';
import type { HandoffRepo } from '../../src/infra/repos/handoffs';
import type { ProactiveSender, RoleStore } from '../contracts';
import type { Timeouts } from './timeout';

/** Work done after the turn has answered (agent notices); failures are logged, never thrown. */
export class Background {
  private readonly running = new Set<Promise<void>>();
  constructor(private readonly log: Logger) {}

  run(task: () => Promise<void>): void {
    const p: Promise<void> = task()
      .catch((err: unknown) => this.log.error({ err }, 'handoff: background task failed'))
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Resolves when everything started so far has finished. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }
}

export interface HandoffParts {
  repo: HandoffRepo;
  /** Who to notify of a new request (every holder of the agent role). */
  roles: RoleStore;
  /** Relays and notices to the other side of a conversation, outside its turn. */
  sender: ProactiveSender;
  timeouts: Timeouts;
  /** How long a request may wait for an agent before the apology. */
  timeoutMs: number;
  log: Logger;
  clock: Clock;
  background: Background;
}
