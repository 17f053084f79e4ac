/**
 * VIP routing and human handoff (DESIGN §3.8, issue 5 item 3).
 *
 * Wiring (src/compose/bot.ts):
 *   const handoff = createHandoff({ repo, roles, sender, agenda: scheduler.agenda,
 *     timeoutMs: config.bot.handoffTimeoutMs, log });
 *   await handoff.ensureIndexes();
 *   handoff.defineJobs();            // before agenda starts processing, in every job-running process
 *   // in the turn pipeline, after TurnInfo is resolved and BEFORE admin commands or greetings:
 *   if (await handoff.handler(context, info)) return;
 *
 * The handler must run first because during a live conversation every customer message belongs
 * to the agent, not to the bot. Everything is in the `handoffs` collection and Agenda's jobs, so
 * any process (or a restarted one) continues where another left off.
 */
import type { TurnContext } from 'botbuilder';
import type { Agenda } from 'agenda';
import type { Contact } from '../../src/domain/contacts/types';
import type { Clock } from '../../src/domain/membership/transitions';
import type { Segment } from '../../src/domain/segments/types';
import type { Logger } from '../../src/infra/logger';
import type { Handoff, HandoffRepo } from '../../src/infra/repos/handoffs';
import type { ProactiveSender, RoleStore, TurnHandler, TurnInfo } from '../contracts';
import { handleAgent } from './agent';
import { handleCustomer } from './customer';
import { Background, type HandoffParts } from './parts';
import { requestForContact, type ContactRefs } from './fromFlow';
import { cleanText } from '../text';
import { orderQueue } from './queue';
import { agendaTimeouts, defineTimeoutJob } from './timeout';

export { HANDOFF_TIMEOUT_JOB } from './timeout';

export interface HandoffDeps {
  /** The `handoffs` collection (built by the composition root). */
  repo: HandoffRepo;
  roles: RoleStore;
  sender: ProactiveSender;
  /** Without it, requests never time out (tests of other parts, tools). */
  agenda?: Agenda;
  timeoutMs: number;
  log: Logger;
  clock?: Clock;
  /** Mirrors the open handoff onto the contact (conversation-aware rules); optional for tests. */
  activity?: HandoffParts['activity'];
  /** Agenda lock lifetime of the timeout job (default 30 s); see `defineTimeoutJob`. */
  jobLockMs?: number;
}

export interface HandoffModule {
  /** Runs first on every turn; true when the turn was the handoff's (request, command, relay, end). */
  handler: TurnHandler;
  /** Defines the `handoff.timeout` job on `agenda` (default: the one in deps). */
  defineJobs(agenda?: Agenda): void;
  /** Queued requests of a workspace, first in line first. */
  queue(workspaceId: string): Promise<Handoff[]>;
  ensureIndexes(): Promise<void>;
  /** The `handoffs` collection's repository, for reports, the API and tests. */
  repo: HandoffRepo;
  /** Resolves once agent notifications sent after a turn answered have finished. */
  idle(): Promise<void>;
  /** Queues a request for a contact outside a turn (a workflow's "start a human handoff" step). */
  requestFor(refs: ContactRefs, contact: Contact, segments: readonly Segment[]): Promise<boolean>;
}

export function createHandoff(deps: HandoffDeps): HandoffModule {
  const log = deps.log.child({ component: 'handoff' });
  const parts: HandoffParts = {
    repo: deps.repo,
    roles: deps.roles,
    sender: deps.sender,
    timeouts: agendaTimeouts(deps.agenda, log),
    timeoutMs: deps.timeoutMs,
    log,
    clock: deps.clock ?? (() => new Date()),
    background: new Background(log),
    ...(deps.activity ? { activity: deps.activity } : {}),
  };
  const handler = async (context: TurnContext, info: TurnInfo): Promise<boolean> => {
    // Only messages: typing, reactions and conversation updates go to the rest of the bot.
    if (context.activity.type !== 'message') return false;
    // Zero-width and bidi characters removed, full-width letters folded (cleanText), case kept.
    const text = cleanText(context.activity.text);
    // Agents are never queued themselves: their words are commands, relayed, or the bot's.
    return info.roles.includes('agent')
      ? handleAgent(parts, context, info, text)
      : handleCustomer(parts, context, info, text);
  };
  return {
    handler,
    defineJobs(agenda = deps.agenda) {
      if (!agenda) throw new Error('handoff.defineJobs: no Agenda given');
      defineTimeoutJob(agenda, parts, deps.jobLockMs ?? 30_000);
    },
    queue: async (ws) => orderQueue(await parts.repo.queued(ws)),
    ensureIndexes: () => parts.repo.ensureIndexes(),
    repo: parts.repo,
    idle: () => parts.background.idle(),
    requestFor: (refs, contact, segments) => requestForContact(parts, refs, contact, segments),
  };
}
