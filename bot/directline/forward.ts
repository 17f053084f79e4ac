/**
 * Hands a Direct Line activity to the bot the way a Bot Framework channel does: an HTTP POST to
 * this server's own `/api/messages` (CloudAdapter, the same path every channel takes), with a
 * `serviceUrl` pointing back at this server so the bot's replies come to the Direct Line store.
 */
import { AppError } from '../../src/errors';
import type { Logger } from '../../src/infra/logger';
import { MESSAGES_PATH } from '../adapter';
import type { DirectLineConversation } from './store';

/** The bot did not take the activity (an error or no answer in time): Direct Line's 502. */
export class BotUnreachableError extends AppError {
  constructor(message: string) {
    super('BOT_UNREACHABLE', 502, message);
  }
}

const TIMEOUT_MS = 15_000;

export class BotForwarder {
  constructor(
    private readonly selfUrl: () => string,
    private readonly log: Logger,
  ) {}

  /** Resolves once the bot's turn is over (its replies are stored by then). */
  async send(c: DirectLineConversation, activity: Record<string, unknown>): Promise<void> {
    const base = this.selfUrl();
    const body = {
      timestamp: new Date().toISOString(),
      ...activity,
      channelId: 'directline',
      serviceUrl: base,
      conversation: { id: c._id },
      from: { ...c.user, role: 'user' },
      recipient: { id: 'bot', name: 'Segments', role: 'bot' },
    };
    let status: number;
    try {
      const res = await fetch(`${base}${MESSAGES_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = res.status;
      await res.arrayBuffer();
    } catch (err) {
      this.log.warn({ err, conversationId: c._id }, 'directline: the bot did not answer');
      throw new BotUnreachableError('The bot did not answer in time');
    }
    if (status >= 300) {
      this.log.warn({ status, conversationId: c._id }, 'directline: the bot refused an activity');
      throw new BotUnreachableError(`The bot answered ${status}`);
    }
  }
}
