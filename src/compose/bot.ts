/**
 * The bot's adapters and stores (part of the composition root): the CloudAdapter, the role,
 * conversation-reference and pending-confirmation stores, the personaliser's templates and the
 * proactive sender. Built before anything that messages people (campaigns, handoff, workflows),
 * so each of them receives a sender that works from the start.
 */
import type { Db } from 'mongodb';
import { createAdapter } from '../../bot/adapter';
import type { BotParts } from '../../bot';
import { Personaliser } from '../../bot/personalise';
import { BotProactiveSender, type ProactiveDeps } from '../../bot/proactive';
import { grantConfiguredRoles, MongoRoleStore } from '../../bot/roles';
import type { Config } from '../config';
import type { Logger } from '../infra/logger';
import { ConversationRefRepo } from '../infra/repos/conversationRefs';
import { PendingConfirmationRepo } from '../infra/repos/pendingConfirmations';

export async function createBotParts(
  db: Db,
  config: Config['bot'],
  contacts: ProactiveDeps['contacts'],
  log: Logger,
): Promise<BotParts> {
  const roles = new MongoRoleStore(db);
  const refs = new ConversationRefRepo(db);
  const pending = new PendingConfirmationRepo(db);
  await Promise.all([roles.ensureIndexes(), refs.ensureIndexes()]);
  await grantConfiguredRoles(roles, config.workspaceId, config);
  const personaliser = await Personaliser.load(config.templatesDir, log);
  const adapter = createAdapter(config, log);
  const proactive = new BotProactiveSender({
    adapter,
    appId: config.appId ?? '',
    contacts,
    refs,
    log,
    timeoutMs: config.sendTimeoutMs,
  });
  return { adapter, roles, proactive, refs, pending, personaliser };
}
