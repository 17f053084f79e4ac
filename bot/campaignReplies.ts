/**
 * Reply attribution for campaigns (middleware after the turn pipeline): a contact's message
 * marks their campaign deliveries of the last 24 h as replied. It runs alongside the turn's
 * handlers, so it adds no wait of its own to the reply, and a failure is logged, never the turn's.
 */
import type { Middleware, TurnContext } from 'botbuilder';
import type { Logger } from '../src/infra/logger';
import { turnInfoOf } from './pipeline';

export function campaignReplies(
  record: (workspaceId: string, contactId: string, at: Date) => Promise<unknown>,
  clock: () => Date,
  log: Logger,
): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const info = turnInfoOf(context);
      const attributed =
        info && context.activity.type === 'message'
          ? record(info.workspaceId, info.contact._id, clock()).catch((err: unknown) =>
              log.warn({ err, contactId: info.contact._id }, 'campaigns: reply not attributed'),
            )
          : undefined;
      await next();
      await attributed;
    },
  };
}
