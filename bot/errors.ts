/**
 * The bot's named errors, and the one place any error becomes a bot reply (`onTurnError`):
 * handlers throw, this answers. Expected problems (bad usage, a rule typo, a missing segment) get
 * a precise answer; anything else gets a polite apology and a log line with the activity id.
 */
import type { TurnContext } from 'botbuilder';
import { AppError } from '../src/errors';
import type { Logger } from '../src/infra/logger';
import { RuleSyntaxError, RuleValidationError } from '../src/rules';

/** Someone without the role tried a role's command. */
export class NotAllowedError extends AppError {
  constructor(readonly role: string) {
    super(
      'BOT_NOT_ALLOWED',
      403,
      `Sorry, that command is only for ${role}s. Type "help" to see what I can do.`,
    );
  }
}

/** A command that was typed wrongly; `usage` is what to type instead. */
export class UsageError extends AppError {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super('BOT_USAGE', 400, message);
  }
}

export const APOLOGY = 'Sorry, something went wrong on our side. Please try again in a moment.';
export const EXAMPLE_RULE = 'lifetimeValue > 5000 OR tag = "VIP"';

const join = (e: string | readonly string[]): string =>
  typeof e === 'string'
    ? e
    : e.length <= 1
      ? (e[0] ?? 'nothing')
      : `${e.slice(0, -1).join(', ')} or ${e.at(-1)}`;

/** The reply for an error, and whether it was expected (a user's mistake) or ours. */
export function replyFor(err: unknown): { text: string; expected: boolean } {
  if (err instanceof RuleSyntaxError) {
    const what = err.message.replace(/^line \d+, column \d+: /, '');
    const text =
      `I couldn't read that rule: line ${err.line}, column ${err.column}: ${what}.\n` +
      `Expected ${join(err.expected)}.\nA valid rule looks like: ${EXAMPLE_RULE}`;
    return { text, expected: true };
  }
  if (err instanceof RuleValidationError) {
    return { text: `${err.message}\nA valid rule looks like: ${EXAMPLE_RULE}`, expected: true };
  }
  if (err instanceof UsageError) return { text: `${err.message}\n${err.usage}`, expected: true };
  if (err instanceof AppError && err.status < 500) {
    return { text: err.message.charAt(0).toUpperCase() + err.message.slice(1), expected: true };
  }
  return { text: APOLOGY, expected: false };
}

/** `onTurnError` for any adapter: never silent, never throws (that would be a 500 to the channel). */
export function createTurnErrorHandler(log: Logger) {
  return async (context: TurnContext, err: Error): Promise<void> => {
    const a = context.activity;
    const who = {
      channelId: a.channelId,
      userId: a.from?.id,
      activityId: a.id,
      conversationId: a.conversation?.id,
    };
    const { text, expected } = replyFor(err);
    if (err instanceof NotAllowedError)
      log.warn({ ...who, text: a.text }, `bot: ${err.role} command refused`);
    else if (expected) log.info({ ...who, code: (err as AppError).code }, 'bot: user error answered');
    else log.error({ ...who, err }, 'bot: turn failed');
    try {
      await context.sendActivity(text);
    } catch (sendErr) {
      log.error({ ...who, err: sendErr }, 'bot: could not send the error reply');
    }
  };
}
