/**
 * ProactiveSender over the stored conversation references: `continueConversationAsync` opens a
 * turn on the reference's channel and sends the text. Contacts and users who said "stop" are
 * skipped unless the caller exempts the message (see `SendOptions.respectOptOut`).
 *
 * Every send is bounded (`timeoutMs`, 5 s by default) and its failure is caught inside the turn:
 * left to the adapter, a failed send reached `onTurnError`, which swallowed it (the caller saw
 * `sent`) after a second failed attempt to apologise (about 10 s against a closed port). The
 * connector makes one attempt (bot/channelRetries.ts), so a refused connection or a failed DNS
 * lookup is `failed` at once with that cause; a channel that does not answer in time is `failed`
 * with a reason that starts `timeout:`.
 */
import type { CloudAdapterBase, ConversationReference } from 'botbuilder';
import type { ChannelIdentity, Contact } from '../src/domain/contacts/types';
import type { Logger } from '../src/infra/logger';
import type { ProactiveOutcome, ProactiveResult, ProactiveSender, SendOptions } from './contracts';

export const DEFAULT_SEND_TIMEOUT_MS = 5000;

export interface ProactiveDeps {
  adapter: Pick<CloudAdapterBase, 'continueConversationAsync'>;
  /** The bot's app id ('' without one, as with the Emulator). */
  appId: string;
  contacts: {
    findById(ws: string, id: string): Promise<Contact | null>;
    findByIdentity(ws: string, identity: ChannelIdentity): Promise<Contact | null>;
  };
  refs: {
    forContact(ws: string, contactId: string): Promise<Partial<ConversationReference> | null>;
    forUser(ws: string, channelId: string, userId: string): Promise<Partial<ConversationReference> | null>;
  };
  log: Logger;
  /** Longest wait for the channel to accept one message (default 5 s). */
  timeoutMs?: number;
}

export class BotProactiveSender implements ProactiveSender {
  constructor(private readonly deps: ProactiveDeps) {}

  async toContact(
    workspaceId: string,
    contactId: string,
    text: string,
    opts: SendOptions = {},
  ): Promise<ProactiveOutcome> {
    return (await this.sendToContact(workspaceId, contactId, text, opts)).status;
  }

  /** As `toContact`, with the channel's error when it failed. */
  async sendToContact(
    workspaceId: string,
    contactId: string,
    text: string,
    opts: SendOptions = {},
  ): Promise<ProactiveResult> {
    const contact = await this.deps.contacts.findById(workspaceId, contactId);
    if (!contact) return { status: 'no-reference' };
    if (contact.optedOut && opts.respectOptOut !== false) return { status: 'opted-out' };
    return this.sendToRef(await this.deps.refs.forContact(workspaceId, contactId), text, {
      workspaceId,
      contactId,
    });
  }

  async toUser(
    workspaceId: string,
    channelId: string,
    userId: string,
    text: string,
    opts: SendOptions = {},
  ): Promise<ProactiveOutcome> {
    const ref = await this.deps.refs.forUser(workspaceId, channelId, userId);
    if (!ref) return 'no-reference';
    if (opts.respectOptOut !== false) {
      // The contact behind the user on the channel the reference is for ('*' entries resolve here).
      const identity = { channelId: ref.channelId ?? channelId, userId };
      const contact = await this.deps.contacts.findByIdentity(workspaceId, identity);
      if (contact?.optedOut) return 'opted-out';
    }
    return (await this.sendToRef(ref, text, { workspaceId, channelId, userId })).status;
  }

  /**
   * Sends one message to a reference already loaded (campaigns load references in bulk). Never
   * throws: a refused, failing or silent channel is `failed` with the reason, within `timeoutMs`.
   * A send that times out may still reach the channel later; the reason says so.
   */
  async sendToRef(
    ref: Partial<ConversationReference> | null,
    text: string,
    who: Record<string, string>,
  ): Promise<ProactiveResult> {
    if (!ref) return { status: 'no-reference' };
    const timeoutMs = this.deps.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
    let failure: unknown;
    const attempt = this.deps.adapter
      .continueConversationAsync(this.deps.appId, ref, async (context) => {
        // Caught here so the adapter's onTurnError never sees it (it would answer "sent").
        try {
          await context.sendActivity(text);
        } catch (err) {
          failure = err;
        }
      })
      .then(
        () => failure,
        (err: unknown) => err ?? new Error('unknown error'),
      );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const result = await Promise.race([attempt, timeout]);
    clearTimeout(timer);
    if (result === 'timeout') {
      const error = `timeout: no answer from the channel within ${timeoutMs} ms (it may still arrive)`;
      this.deps.log.warn({ ...who, error }, 'bot: proactive message timed out');
      void attempt.then((late) => {
        if (late) this.deps.log.warn({ ...who, err: late }, 'bot: timed-out proactive message failed');
      });
      return { status: 'failed', error };
    }
    if (result === undefined) return { status: 'sent' };
    const error = describeError(result);
    this.deps.log.warn({ ...who, error }, 'bot: proactive message failed');
    return { status: 'failed', error };
  }
}

/** The channel's error in one line: code and message, HTTP status when there is one. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { code?: unknown; statusCode?: unknown };
  const parts = [
    typeof e.statusCode === 'number' ? `HTTP ${e.statusCode}` : '',
    typeof e.code === 'string' && !e.message.includes(e.code) ? e.code : '',
    e.message,
  ].filter(Boolean);
  return parts.join(': ').slice(0, 500);
}
