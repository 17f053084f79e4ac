/**
 * What the customer side, the agent side and the timeout job of the handoff share; built once by
 * `createHandoff`. Holds no state of its own: everything lives in the database.
 */
import type { Logger } from '../../src/infra/logger';
import type { Clock } from '../../src/domain/membership/transitions';
import type { HandoffRepo } from '../../src/infra/repos/handoffs';
import type { ProactiveSender, RoleStore } from '../contracts';
import type { Timeouts } from './timeout';

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
}
