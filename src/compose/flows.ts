/**
 * The workflow runtime (part of the composition root): templates, effect ports over the bot's
 * proactive sender, the contact service and the handoff queue; indexes, built-in bindings for the
 * bot's workspace, Agenda jobs, the dispatcher subscription, and the admin the API and the chat
 * commands share. Called before the dispatcher and the scheduler start.
 */
import path from 'node:path';
import type { Db } from 'mongodb';
import type { HandoffModule } from '../../bot/handoff';
import type { Config } from '../config';
import type { ContactRepo } from '../domain/contacts/repo';
import type { ContactService } from '../domain/contacts/service';
import type { Clock } from '../domain/ports/clock';
import type { SendGate } from '../domain/ports/sendGate';
import type { ProactiveSender } from '../domain/ports/proactive';
import type { SegmentService } from '../domain/segments/service';
import type { ConversationRefRepo } from '../infra/repos/conversationRefs';
import type { Logger } from '../infra/logger';
import type { Membership } from '../infra/membership';
import type { SegmentRepo } from '../infra/repos/segments';
import type { Scheduler } from '../infra/scheduler';
import { FlowAdmin } from '../infra/flows/admin';
import { FlowRuntime } from '../infra/flows';
import { flowPorts } from '../infra/flows/ports';
import { loadFlowTemplates, templateRenderer } from '../infra/flows/templates';

export interface FlowParts {
  db: Db;
  scheduler: Scheduler;
  segmentRepo: SegmentRepo;
  segments: Pick<SegmentService, 'get' | 'getByName'>;
  membership: Membership;
  contacts: ContactService;
  contactRepo: Pick<ContactRepo, 'findById' | 'findByIds'>;
  proactive: ProactiveSender;
  refs: ConversationRefRepo;
  handoff: HandoffModule;
  clock: Clock;
  log: Logger;
  /** Closed by a graceful stop: no flow step starts after it. */
  gate: SendGate;
}

export interface Flows {
  runtime: FlowRuntime;
  admin: FlowAdmin;
}

export async function createFlows(config: Config, p: FlowParts): Promise<Flows> {
  const templates = await loadFlowTemplates(path.join(config.bot.templatesDir, 'flows'));
  const runtime = new FlowRuntime(p.db, {
    agenda: p.scheduler.agenda,
    segments: p.segmentRepo,
    ports: flowPorts({
      contacts: p.contacts,
      contactRepo: p.contactRepo,
      proactive: p.proactive,
      segments: p.segmentRepo,
      handoff: (contact, segments) => p.handoff.requestFor(p.refs, contact, segments),
      render: templateRenderer(templates),
    }),
    clock: p.clock,
    timeScale: config.flows.timeScale,
    botGreets: config.bot.welcome === 'greeting',
    lockMs: config.flows.lockMs,
    log: p.log.child({ component: 'flows' }),
    gate: p.gate,
  });
  await runtime.ensureIndexes();
  if (config.flows.builtIn) await runtime.bindings.ensureBuiltIns(config.bot.workspaceId);
  runtime.defineJobs();
  p.membership.dispatcher.subscribeBatch('flows', (ts) => runtime.starter.onTransitions(ts));
  return { runtime, admin: new FlowAdmin(runtime, p.segments) };
}
