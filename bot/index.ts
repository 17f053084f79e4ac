/**
 * The bot's turn logic (DESIGN §3.8): the turn pipeline and the handlers in order.
 * Handlers run in order until one takes the turn: the extra `handlers` first (human handoff plugs
 * in here: it relays live conversations before anything else sees them), then admin commands,
 * opt-out, and the conversation handler, which always answers.
 */
import { ActivityTypes, type CloudAdapter, type TurnContext } from 'botbuilder';
import type { Config } from '../src/config';
import type { CampaignService } from '../src/domain/campaigns/service';
import type { ContactRepo } from '../src/domain/contacts/repo';
import type { ContactService } from '../src/domain/contacts/service';
import type { ActivityService } from '../src/domain/conversations/service';
import type { Clock } from '../src/domain/ports/clock';
import type { Logger } from '../src/domain/ports/logger';
import type { WelcomeFlows } from '../src/domain/ports/welcome';
import type { SegmentService } from '../src/domain/segments/service';
import type { Membership } from '../src/infra/membership';
import type { ConversationRefRepo } from '../src/infra/repos/conversationRefs';
import type { HandoffRepo } from '../src/infra/repos/handoffs';
import type { PendingConfirmationRepo } from '../src/infra/repos/pendingConfirmations';
import type { ReportPort } from './admin/reportTypes';
import { AdminCommands } from './admin/commands';
import { createAdminHandler } from './admin';
import type { RoleStore, TurnHandler, TurnInfo } from './contracts';
import { createConversationHandler, createOptOutHandler } from './conversation';
import type { Personaliser } from './personalise';
import { turnInfoOf, TurnPipeline } from './pipeline';
import type { BotProactiveSender } from './proactive';
import { gateRoles } from './roles';

/** The bot's adapters and stores, built by the composition root (src/compose/bot.ts). */
export interface BotParts {
  adapter: CloudAdapter;
  roles: RoleStore;
  proactive: BotProactiveSender;
  refs: ConversationRefRepo;
  pending: PendingConfirmationRepo;
  personaliser: Personaliser;
}

export interface BotDeps {
  config: Config['bot'];
  parts: BotParts;
  contacts: ContactService;
  activity: ActivityService;
  contactRepo: Pick<ContactRepo, 'findById' | 'findByExternalId' | 'findByEmail'>;
  segments: SegmentService;
  membership: Membership;
  /** Campaign admin commands (`/campaign ...`); without it they answer that campaigns are off. */
  campaigns?: CampaignService;
  /** Reports for the admin /report command (optional: without them it says so). */
  reports?: ReportPort;
  clock: Clock;
  log: Logger;
  /** Run before the built-in handlers (the handoff and the flow commands go here). */
  handlers: TurnHandler[];
  /** Read only: is an agent relaying (their words are not their own conversation)? */
  handoffs: Pick<HandoffRepo, 'activeForAgent'>;
  /** With BOT_WELCOME=flow: will a workflow welcome a new contact (the workflow runtime answers)? */
  welcomeFlows?: WelcomeFlows;
}

export interface Bot extends BotParts {
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

/** Puts the turn pipeline on the adapter and returns the bot with its handlers in order. */
export function createBot(deps: BotDeps): Bot {
  const { config, parts, clock } = deps;
  parts.adapter.use(
    new TurnPipeline({
      workspaceId: config.workspaceId,
      contacts: deps.contacts,
      activity: deps.activity,
      segments: deps.segments,
      roles: gateRoles(parts.roles, Boolean(config.appId), config.allowUnauthenticatedAdmins),
      refs: parts.refs,
      clock,
      personalisation: config.personalisation,
      agentInConversation: async (w, channelId, userId) =>
        (await deps.handoffs.activeForAgent(w, { channelId, userId })) !== null,
    }),
  );
  const commands = new AdminCommands({
    segments: deps.segments,
    membership: deps.membership,
    contacts: deps.contactRepo,
    ...(deps.campaigns ? { campaigns: deps.campaigns } : {}),
    ...(deps.reports ? { reports: deps.reports } : {}),
  });
  const logic = createBotLogic(
    [
      ...deps.handlers,
      createAdminHandler({ commands, pending: parts.pending, clock }),
      createOptOutHandler({ contacts: deps.contacts }),
      createConversationHandler({
        personaliser: parts.personaliser,
        ...(config.welcome === 'flow' && deps.welcomeFlows
          ? { welcomedByFlow: welcomedBy(deps.welcomeFlows) }
          : {}),
      }),
    ],
    deps.log,
  );
  return { ...parts, logic };
}
