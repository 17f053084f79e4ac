/**
 * What the customer side, the agent side and the timeout job of the handoff share; built once by
 * `createHandoff`. Holds no state of its own: everything lives in the database.
 */
import type { Logger } from '../../src/infra/logger';
import type { Clock } from '../../src/domain/membership/transitions';
import type { HandoffRepo } from '../../src/infra/repos/handoffs';
import type { ProactiveSender, RoleStore } from '../contracts';
import type { HandoffState } from '../../src/domain/conversations/service';

/** What a handoff request's timeout job carries (timeout.ts runs it). */
export interface TimeoutJobData {
  workspaceId: string;
  handoffId: string;
}

/** Schedules and cancels request timeouts (Agenda in the app; absent in tools). */
export interface Timeouts {
  /** The job's id, or undefined when nothing was scheduled. */
  schedule(at: Date, data: TimeoutJobData): Promise<string | undefined>;
  cancel(jobId: string | undefined): Promise<void>;
}

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
  /** Mirrors the open handoff onto the contact for rules (`handoff open`, `waited for an agent …`). */
  activity?: { setHandoff(ws: string, contactId: string, state: HandoffState): Promise<void> };
}

/**
 * Tells every agent; one unreachable agent does not keep the others from it. Returns how many it
 * failed to tell: a grant on a channel the agent has never talked to the bot on (a bare id in
 * BOT_AGENTS names both local channels) has no conversation to send to, and is not a failure
 * unless no agent was reached at all.
 */
export async function tellAgents(p: HandoffParts, ws: string, text: string): Promise<number> {
  const agents = await p.roles.holders(ws, 'agent');
  const results = await Promise.allSettled(
    agents.map((a) =>
      // An agent's work notice, not marketing: sent even to an agent who opted out as a customer.
      p.sender.toUser(ws, a.channelId, a.userId, text, { respectOptOut: false }),
    ),
  );
  const sent = results.filter((r) => r.status === 'fulfilled' && r.value === 'sent').length;
  const noChannel = results.filter((r) => r.status === 'fulfilled' && r.value === 'no-reference').length;
  return sent > 0 ? results.length - sent - noChannel : results.length;
}

/** Records the contact's handoff state; a failure is logged, never fails the conversation. */
export async function mirrorState(p: HandoffParts, ws: string, contactId: string, state: HandoffState) {
  await p.activity?.setHandoff(ws, contactId, state).catch((err: unknown) => {
    p.log.warn({ err, contactId }, 'handoff: could not record the handoff state on the contact');
  });
}
