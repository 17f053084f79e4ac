/**
 * The bot, assembled (DESIGN §3.8): adapter, turn pipeline, handlers in order, proactive sender.
 * Handlers run in order until one takes the turn: the extra `handlers` first (human handoff plugs
 * in here: it relays live conversations before anything else sees them), then admin commands,
 * opt-out, and the conversation handler, which always answers.
 */
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Db } from 'mongodb';
import type { CoreServices } from '../src/api';
import type { Config } from '../src/config';
import type { CampaignService } from '../src/domain/campaigns/service';
import type { SegmentService } from '../src/domain/segments/service';
import type { Logger } from '../src/infra/logger';
import type { Membership } from '../src/infra/membership';
import type { ReportPort } from './admin/reportTypes';
import { ConversationRefRepo } from '../src/infra/repos/conversationRefs';
import { PendingConfirmationRepo } from '../src/infra/repos/pendingConfirmations';
import { createAdapter } from './adapter';
import { AdminCommands } from './admin/commands';
import { createAdminHandler } from './admin';
import type { RoleStore, TurnHandler } from './contracts';
import { createConversationHandler, createOptOutHandler } from './conversation';
import { Personaliser } from './personalise';
import { turnInfoOf, TurnPipeline } from './pipeline';
import { BotProactiveSender } from './proactive';
import { gateRoles, grantConfiguredRoles, MongoRoleStore } from './roles';

/** What an extra handler may need: built before the handlers, handed to their factory. */
export interface BotParts {
  adapter: CloudAdapter;
  roles: RoleStore;
  proactive: BotProactiveSender;
  refs: ConversationRefRepo;
}

export interface BotDeps {
  config: Config['bot'];
  db: Db;
  core: CoreServices;
  segments: SegmentService;
  membership: Membership;
  /** Campaign admin commands (`/campaign ...`); without it they answer that campaigns are off. */
  campaigns?: CampaignService;
  /** Reports for the admin /report command (optional: without them it says so). */
  reports?: ReportPort;
  log: Logger;
  /** Run before the built-in handlers (the handoff goes here). */
  handlers?: TurnHandler[] | ((parts: BotParts) => TurnHandler[]);
}

export interface Bot extends BotParts {
  personaliser: Personaliser;
  /** The turn logic handed to `adapter.process`. */
  logic: (context: TurnContext) => Promise<void>;
}

/** Runs the handlers in order until one takes the turn; activities without a caller are ignored. */
export function createBotLogic(handlers: readonly TurnHandler[]) {
  return async (context: TurnContext): Promise<void> => {
    const info = turnInfoOf(context);
    if (!info) return;
    for (const handle of handlers) if (await handle(context, info)) return;
  };
}

export async function createBot(deps: BotDeps): Promise<Bot> {
  const { config, db, core, segments, membership, log } = deps;
  const ws = config.workspaceId;
  const roles = new MongoRoleStore(db);
  const refs = new ConversationRefRepo(db);
  const pending = new PendingConfirmationRepo(db);
  await Promise.all([roles.ensureIndexes(), refs.ensureIndexes()]);
  await grantConfiguredRoles(roles, ws, config);
  const personaliser = await Personaliser.load(config.templatesDir, log);
  const adapter = createAdapter(config, log);
  adapter.use(
    new TurnPipeline({
      workspaceId: ws,
      contacts: core.contacts,
      activity: core.activity,
      segments,
      roles: gateRoles(roles, Boolean(config.appId), config.allowUnauthenticatedAdmins),
      refs,
      clock: membership.clock,
      personalisation: config.personalisation,
    }),
  );
  const proactive = new BotProactiveSender({
    adapter,
    appId: config.appId ?? '',
    contacts: core.contactRepo,
    refs,
    log,
    timeoutMs: config.sendTimeoutMs,
  });
  const parts: BotParts = { adapter, roles, proactive, refs };
  const extra = typeof deps.handlers === 'function' ? deps.handlers(parts) : (deps.handlers ?? []);
  const commands = new AdminCommands({
    segments,
    membership,
    contacts: core.contactRepo,
    ...(deps.campaigns ? { campaigns: deps.campaigns } : {}),
    ...(deps.reports ? { reports: deps.reports } : {}),
  });
  const logic = createBotLogic([
    ...extra,
    createAdminHandler({ commands, pending, clock: membership.clock }),
    createOptOutHandler({ contacts: core.contacts }),
    createConversationHandler({ personaliser }),
  ]);
  return { ...parts, personaliser, logic };
}
