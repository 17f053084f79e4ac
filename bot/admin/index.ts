/**
 * The admin handler: slash commands for users with the admin role. Anyone else is refused (the
 * refusal is logged with who tried, by onTurnError) and nothing changes. A change that needs a
 * "yes" waits in the database for the same admin's next turn in the same conversation; any other
 * answer cancels it.
 */
import type { PendingConfirmationRepo, PendingOwner } from '../../src/infra/repos/pendingConfirmations';
import type { TurnHandler, TurnInfo } from '../contracts';
import { normalise } from '../conversation';
import { commandWord, helpFor, roleOfCommand } from '../help';
import { commandText } from '../text';
import { NotAllowedError, UsageError } from '../errors';
import type { AdminCommands } from './commands';
import { isCommand, parseCommand } from './parse';

export interface AdminHandlerDeps {
  commands: Pick<AdminCommands, 'run' | 'confirm'>;
  pending: Pick<PendingConfirmationRepo, 'put' | 'has' | 'take'>;
  clock: () => Date;
  /** How long a question waits for its "yes". */
  confirmTtlMs?: number;
}

export function createAdminHandler(deps: AdminHandlerDeps): TurnHandler {
  const ttl = deps.confirmTtlMs ?? 10 * 60_000;
  return async (context, info) => {
    const a = context.activity;
    if (a.type !== 'message') return false;
    const isAdmin = info.roles.includes('admin');
    const text = commandText(a.text);
    const owner = ownerOf(info, a.conversation.id);
    if (isAdmin && (await deps.pending.has(owner, deps.clock()))) {
      const action = await deps.pending.take(owner, deps.clock());
      if (action && normalise(a.text) === 'yes') {
        await context.sendActivity(await deps.commands.confirm(action, info));
        return true;
      }
      if (action) await context.sendActivity('Cancelled: nothing was changed.');
      if (!isCommand(text)) return true;
    }
    if (!isCommand(text)) return false;
    if (commandWord(text) === 'help') {
      await context.sendActivity(helpFor(info.roles));
      return true;
    }
    if (!isAdmin) throw new NotAllowedError(roleOfCommand(text));
    const parsed = parseCommand(text);
    if (!parsed.ok) throw new UsageError(parsed.message, parsed.usage);
    const outcome = await deps.commands.run(parsed.command, info);
    if (outcome.pending)
      await deps.pending.put(owner, outcome.pending, new Date(deps.clock().getTime() + ttl));
    await context.sendActivity(
      outcome.attachments
        ? { type: 'message', text: outcome.reply, attachments: outcome.attachments }
        : outcome.reply,
    );
    return true;
  };
}

const ownerOf = (info: TurnInfo, conversationId: string): PendingOwner => ({
  workspaceId: info.workspaceId,
  channelId: info.channelId,
  userId: info.userId,
  conversationId,
});
