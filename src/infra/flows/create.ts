/**
 * Builds the workflow runtime from the app's parts (called by `startApp` before the dispatcher
 * and the scheduler start): templates, ports, indexes, built-in bindings for the bot's
 * workspace, Agenda jobs, and the dispatcher subscription.
 */
import path from 'node:path';
import type { Db } from 'mongodb';
import type { Bot } from '../../../bot';
import type { HandoffModule } from '../../../bot/handoff';
import type { CoreServices } from '../../api';
import type { Config } from '../../config';
import type { SendGate } from '../../domain/ports/sendGate';
import type { Logger } from '../logger';
import type { Membership } from '../membership';
import type { SegmentRepo } from '../repos/segments';
import type { Scheduler } from '../scheduler';
import { FlowRuntime } from './index';
import { flowPorts } from './ports';
import { loadFlowTemplates, templateRenderer } from './templates';

export interface FlowParts {
  db: Db;
  scheduler: Scheduler;
  segmentRepo: SegmentRepo;
  membership: Membership;
  core: CoreServices;
  bot: Bot;
  handoff: HandoffModule;
  log: Logger;
  /** Closed by a graceful stop: no flow step starts after it. */
  gate?: SendGate;
}

export async function createFlows(config: Config, p: FlowParts): Promise<FlowRuntime> {
  const templates = await loadFlowTemplates(path.join(config.bot.templatesDir, 'flows'));
  const flows = new FlowRuntime(p.db, {
    agenda: p.scheduler.agenda,
    segments: p.segmentRepo,
    ports: flowPorts({
      contacts: p.core.contacts,
      contactRepo: p.core.contactRepo,
      proactive: p.bot.proactive,
      segments: p.segmentRepo,
      handoff: (contact, segments) => p.handoff.requestFor(p.bot.refs, contact, segments),
      render: templateRenderer(templates),
    }),
    clock: p.membership.clock,
    timeScale: config.flows.timeScale,
    lockMs: config.flows.lockMs,
    log: p.log.child({ component: 'flows' }),
    ...(p.gate ? { gate: p.gate } : {}),
  });
  await flows.ensureIndexes();
  if (config.flows.builtIn) await flows.bindings.ensureBuiltIns(config.bot.workspaceId);
  flows.defineJobs();
  p.membership.dispatcher.subscribeBatch('flows', (ts) => flows.starter.onTransitions(ts));
  return flows;
}
