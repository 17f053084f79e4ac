/**
 * Campaigns wired on a `Db` and an Agenda (DESIGN §3.7): repositories, the run sender, the jobs,
 * the service the API and admin commands use, and reply attribution for the bot.
 *
 *   const campaigns = createCampaigns({ db, agenda, sender, refs, segments, ... });
 *   await campaigns.ensureIndexes();
 *   campaigns.defineJobs();   // before Agenda starts processing, in every job-running process
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Agenda } from 'agenda';
import type { Db } from 'mongodb';
import { CampaignService } from '../../domain/campaigns/service';
import { ALWAYS_OPEN, type SendGate } from '../../domain/ports/sendGate';
import type { Campaign } from '../../domain/campaigns/types';
import type { Segment } from '../../domain/segments/types';
import type { Logger } from '../logger';
import type { ConversationRefRepo } from '../repos/conversationRefs';
import { AudienceReader } from './audience';
import { runControl } from './control';
import { DeliveryRepo } from './deliveries';
import { CampaignJobs } from './jobs';
import { CampaignRepo, RunRepo } from './repo';
import { resendUnknown, type ResendResult } from './resend';
import { RunRunner } from './runner';
import type { RefSender } from './sendLoop';

export interface CampaignDeps {
  db: Db;
  agenda: Agenda;
  sender: RefSender;
  refs: Pick<ConversationRefRepo, 'forContacts'>;
  segments: {
    get(ws: string, id: string): Promise<Segment | null>;
    getByName(ws: string, name: string): Promise<Segment | null>;
  };
  /** The folder holding `campaigns/<name>.hbs`. */
  templatesDir: string;
  lockMs: number;
  concurrency: number;
  log: Logger;
  clock?: () => Date;
  /** Closed at the start of a graceful stop: the sender claims nothing more (default: never closes). */
  gate?: SendGate;
}

export interface Campaigns {
  service: CampaignService;
  deliveries: DeliveryRepo;
  runs: RunRepo;
  runner: RunRunner;
  jobs: CampaignJobs;
  ensureIndexes(): Promise<void>;
  defineJobs(): void;
  /** Attributes a contact's message to their campaign deliveries of the last 24 h. */
  recordReply(workspaceId: string, contactId: string, at: Date): Promise<number>;
  /** Resolves when this process sends no run: in a graceful stop, before the database closes. */
  idle(): Promise<void>;
  /** The operator's re-send of chosen `unknown` deliveries (resend.ts); never automatic. */
  resend: (campaign: Campaign, deliveryIds: string[]) => Promise<ResendResult[]>;
}

export function createCampaigns(deps: CampaignDeps): Campaigns {
  const clock = deps.clock ?? (() => new Date());
  const log = deps.log.child({ component: 'campaigns' });
  const campaigns = new CampaignRepo(deps.db);
  const runs = new RunRepo(deps.db);
  const deliveries = new DeliveryRepo(deps.db);
  const stopped = new Set<string>();
  const audience = new AudienceReader(deps.db, deps.refs);
  const gate = deps.gate ?? ALWAYS_OPEN;
  const runner = new RunRunner({
    campaigns,
    runs,
    deliveries,
    audience,
    segmentName: async (ws, id) => (await deps.segments.get(ws, id))?.name ?? null,
    sender: deps.sender,
    concurrency: deps.concurrency,
    lockMs: deps.lockMs,
    clock,
    log,
    stopped,
    gate,
  });
  const jobs = new CampaignJobs({
    agenda: deps.agenda,
    campaigns,
    runs,
    runner,
    lockMs: deps.lockMs,
    log,
    clock,
  });
  const service = new CampaignService({
    store: campaigns,
    control: runControl({ runs, deliveries, jobs, stopped, clock }),
    segments: {
      find: async (ws, ref) => (await deps.segments.get(ws, ref)) ?? deps.segments.getByName(ws, ref),
    },
    templateFile: (name) => readTemplate(deps.templatesDir, name),
    now: clock,
  });
  return {
    service,
    deliveries,
    runs,
    runner,
    jobs,
    ensureIndexes: async () => {
      await Promise.all([campaigns.ensureIndexes(), runs.ensureIndexes(), deliveries.ensureIndexes()]);
    },
    defineJobs: () => jobs.define(),
    recordReply: (ws, contactId, at) => deliveries.recordReply(ws, contactId, at),
    idle: () => runner.idle(),
    resend: (campaign, ids) =>
      resendUnknown(
        { deliveries, audience, sender: deps.sender, concurrency: deps.concurrency, clock, gate },
        campaign,
        ids,
      ),
  };
}

/** `templates/campaigns/<name>.hbs` (the name is checked against a strict pattern first). */
async function readTemplate(dir: string, name: string): Promise<string | null> {
  try {
    return await readFile(path.join(dir, 'campaigns', `${name}.hbs`), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
