/**
 * The bot's turn logic (DESIGN §3.8): the turn pipeline and the handlers in order.
 * Handlers run in order until one takes the turn: the extra `handlers` first (human handoff plugs
 * in here: it relays live conversations before anything else sees them), then admin commands,
 * opt-out, and the conversation handler, which always answers.
 */
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Config } from '../src/config';
import type { CampaignService } from '../src/domain/campaigns/service';
import type { ContactRepo } from '../src/domain/contacts/repo';
import type { ContactService } from '../src/domain/contacts/service';
import type { ActivityService } from '../src/domain/conversations/service';
import type { Clock } from '../src/domain/ports/clock';
import type { SegmentService } from '../src/domain/segments/service';
import type { Membership } from '../src/infra/membership';
import type { ConversationRefRepo } from '../src/infra/repos/conversationRefs';
import type { PendingConfirmationRepo } from '../src/infra/repos/pendingConfirmations';
import type { ReportPort } from './admin/reportTypes';
import { AdminCommands } from './admin/commands';
import { createAdminHandler } from './admin';
import type { RoleStore, TurnHandler } from './contracts';
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
  /** Run before the built-in handlers (the handoff and the flow commands go here). */
  handlers: TurnHandler[];
}

export interface Bot extends BotParts {
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
    }),
  );
  const commands = new AdminCommands({
    segments: deps.segments,
    membership: deps.membership,
    contacts: deps.contactRepo,
    ...(deps.campaigns ? { campaigns: deps.campaigns } : {}),
    ...(deps.reports ? { reports: deps.reports } : {}),
  });
  const logic = createBotLogic([
    ...deps.handlers,
    createAdminHandler({ commands, pending: parts.pending, clock }),
    createOptOutHandler({ contacts: deps.contacts }),
    createConversationHandler({ personaliser: parts.personaliser }),
  ]);
  return { ...parts, logic };
}
