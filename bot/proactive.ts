/**
 * ProactiveSender over the stored conversation references: `continueConversationAsync` opens a
 * turn on the reference's channel and sends the text. A contact who said "stop" is skipped
 * (unless the caller says otherwise, e.g. a handoff reply the contact asked for).
 */
import type { CloudAdapterBase, ConversationReference } from 'botbuilder';
import type { Contact } from '../src/domain/contacts/types';
import type { Logger } from '../src/infra/logger';
import type { ProactiveOutcome, ProactiveSender } from './contracts';

export interface ProactiveDeps {
  adapter: Pick<CloudAdapterBase, 'continueConversationAsync'>;
  /** The bot's app id ('' without one, as with the Emulator). */
  appId: string;
  contacts: { findById(ws: string, id: string): Promise<Contact | null> };
  refs: {
    forContact(ws: string, contactId: string): Promise<Partial<ConversationReference> | null>;
    forUser(ws: string, channelId: string, userId: string): Promise<Partial<ConversationReference> | null>;
  };
  log: Logger;
}

export class BotProactiveSender implements ProactiveSender {
  constructor(private readonly deps: ProactiveDeps) {}

  async toContact(
    workspaceId: string,
    contactId: string,
    text: string,
    opts: { respectOptOut?: boolean } = {},
  ): Promise<ProactiveOutcome> {
    const contact = await this.deps.contacts.findById(workspaceId, contactId);
    if (!contact) return 'no-reference';
    if (contact.optedOut && opts.respectOptOut !== false) return 'opted-out';
    return this.send(await this.deps.refs.forContact(workspaceId, contactId), text, {
      workspaceId,
      contactId,
    });
  }

  async toUser(
    workspaceId: string,
    channelId: string,
    userId: string,
    text: string,
  ): Promise<ProactiveOutcome> {
    return this.send(await this.deps.refs.forUser(workspaceId, channelId, userId), text, {
      workspaceId,
      channelId,
      userId,
    });
  }

  private async send(
    ref: Partial<ConversationReference> | null,
    text: string,
    who: Record<string, string>,
  ): Promise<ProactiveOutcome> {
    if (!ref) return 'no-reference';
    try {
      await this.deps.adapter.continueConversationAsync(this.deps.appId, ref, async (context) => {
        await context.sendActivity(text);
      });
      return 'sent';
    } catch (err) {
      this.deps.log.warn({ ...who, err }, 'bot: proactive message failed');
      return 'failed';
    }
  }
}
