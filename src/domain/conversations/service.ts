/**
 * Records what the bot sees of a contact's conversations (DESIGN §3.1 traits, issue 13):
 * `conversationCount` counts conversations, not messages; `lastConversationAt` and
 * `lastMessageAt` move on every message; windowed counters of conversations and intents feed the
 * conversation-aware rule conditions. Membership follows each change at once.
 */
import { NotFoundError } from '../../errors';
import type { ContactChangeListener } from '../contacts/types';
import type { MessageSignal } from './activity';

export type HandoffState = { status: 'waiting'; since: Date } | { status: 'connected' } | null;

/** Storage (src/infra/repos/contactActivity.ts). */
export interface ActivityStore {
  recordMessage(
    ws: string,
    contactId: string,
    m: MessageSignal,
    messageId: string | undefined,
    now: Date,
  ): Promise<{ status: 'recorded'; newConversation: boolean } | { status: 'already' | 'missing' }>;
  setHandoff(ws: string, contactId: string, state: HandoffState, now: Date): Promise<boolean>;
}

export class ActivityService {
  constructor(
    private readonly store: ActivityStore,
    private readonly listener: ContactChangeListener,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** One bot message; `messageId` (the activity) makes a channel's retry count once. */
  async recordMessage(ws: string, contactId: string, m: MessageSignal, messageId?: string): Promise<void> {
    const r = await this.store.recordMessage(ws, contactId, m, messageId, this.clock());
    if (r.status === 'missing') throw new NotFoundError('contact', contactId);
    // Also after 'already': a crash may have come before the listener ran; re-evaluating is idempotent.
    await this.listener.contactChanged(ws, contactId, 'event');
  }

  /** The contact's open handoff changed (queued, accepted, ended or expired). */
  async setHandoff(ws: string, contactId: string, state: HandoffState): Promise<void> {
    if (await this.store.setHandoff(ws, contactId, state, this.clock()))
      await this.listener.contactChanged(ws, contactId, 'event');
  }
}
