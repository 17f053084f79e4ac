/**
 * The bot, assembled (DESIGN §3.8): adapter, turn pipeline, handlers in order, proactive sender.
 * Handlers run in order until one takes the turn: the extra `handlers` first (human handoff plugs
 * in here: it relays live conversations before anything else sees them), then admin commands,
 * opt-out, and the conversation handler, which always answers.
 */
import { ActivityTypes, type CloudAdapter, type TurnContext } from 'botbuilder';
import type { Db } from 'mongodb';
import type { CoreServices } from '../src/api';
import type { Config } from '../src/config';
import type { CampaignService } from '../src/domain/campaigns/service';
import type { SegmentService } from '../src/domain/segments/service';
import type { Logger } from '../src/infra/logger';
import type { Membership } from '../src/infra/membership';
import type { ReportPort } from './admin/reportTypes';
import { ConversationRefRepo } from '../src/infra/repos/conversationRefs';
import { HandoffRepo } from '../src/infra/repos/handoffs';
import { PendingConfirmationRepo } from '../src/infra/repos/pendingConfirmations';
import { createAdapter } from './adapter';
import { AdminCommands } from './admin/commands';
import { createAdminHandler } from './admin';
import type { WelcomeFlows } from '../src/domain/ports/welcome';
import type { RoleStore, TurnHandler, TurnInfo } from './contracts';
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
  /** With BOT_WELCOME=flow: will a workflow welcome a new contact (the workflow runtime answers)? */
  welcomeFlows?: WelcomeFlows;
}

export interface Bot extends BotParts {
  personaliser: Personaliser;
  /** The turn logic handed to `adapter.process`. */
  logic: (context: TurnContext) => Promise<void>;
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(Object.values(ActivityTypes));

/**
 * Runs the handlers in order until one takes the turn. Activities without a caller (typing,
 * reactions, the bot's own join) or that no handler takes are ignored: the channel gets its 200,
 * and the log says so at debug, naming an unknown type as such (a channel sending something new).
 */
export function createBotLogic(handlers: readonly TurnHandler[], log?: Pick<Logger, 'debug'>) {
  return async (context: TurnContext): Promise<void> => {
    const info = turnInfoOf(context);
    if (info) for (const handle of handlers) if (await handle(context, info)) return;
    const a = context.activity;
    log?.debug(
      { type: a.type, channelId: a.channelId, activityId: a.id },
      KNOWN_TYPES.has(a.type) ? 'bot: activity ignored' : 'bot: ignored an activity of an unknown type',
    );
  };
}

/** The contact's own segments (not only those read for personalisation) decide. */
const welcomedBy = (flows: WelcomeFlows) => (info: TurnInfo) =>
  flows.welcomes(
    info.workspaceId,
    info.contact.segments.map((m) => m.segmentId),
  );

export async function createBot(deps: BotDeps): Promise<Bot> {
  const { config, db, core, segments, membership, log } = deps;
  const ws = config.workspaceId;
  const roles = new MongoRoleStore(db);
  const refs = new ConversationRefRepo(db);
  const pending = new PendingConfirmationRepo(db);
  const handoffs = new HandoffRepo(db); // read only: is an agent relaying (not talking as themself)?
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
      agentInConversation: async (w, channelId, userId) =>
        (await handoffs.activeForAgent(w, { channelId, userId })) !== null,
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
  const logic = createBotLogic(
    [
      ...extra,
      createAdminHandler({ commands, pending, clock: membership.clock }),
      createOptOutHandler({ contacts: core.contacts }),
      createConversationHandler({
        personaliser,
        ...(config.welcome === 'flow' && deps.welcomeFlows
          ? { welcomedByFlow: welcomedBy(deps.welcomeFlows) }
          : {}),
      }),
    ],
    log,
  );
  return { ...parts, personaliser, logic };
}
