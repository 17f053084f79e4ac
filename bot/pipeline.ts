/**
 * The turn pipeline (DESIGN §3.8), as botbuilder middleware: before any handler runs it knows who
 * is talking (the contact, created on first contact, with its memberships already evaluated, so
 * even the greeting on joining is personalised), has recorded a customer's message (conversations,
 * intents; membership follows at once; staff commands and relayed words are not recorded), read
 * the contact's segments and roles, and saved the conversation reference for proactive messages.
 * A failure here is thrown to onTurnError (logged, polite reply).
 * With personalisation off (`BOT_PERSONALISATION=false`) the segments are not read: the turn's
 * `segments` is empty, so greetings and offers are the defaults (and handoff sees no segments).
 */
import { createHash } from 'node:crypto';
import { TurnContext, type Middleware } from 'botbuilder';
import type { ChannelIdentity, Contact } from '../src/domain/contacts/types';
import type { MessageSignal } from '../src/domain/conversations/activity';
import { detectIntents } from '../src/domain/conversations/intents';
import type { Segment } from '../src/domain/segments/types';
import type { ConversationRefRepo } from '../src/infra/repos/conversationRefs';
import type { Role, RoleStore, TurnInfo } from './contracts';
import { canonicalText, cleanText } from './text';

const TURN_INFO = Symbol('segments.turnInfo');

/** The TurnInfo the pipeline put in turn state; undefined for activities it does not handle. */
export function turnInfoOf(context: TurnContext): TurnInfo | undefined {
  return context.turnState.get<TurnInfo | undefined>(TURN_INFO);
}

/** For tests and other pipelines: put a TurnInfo in turn state. */
export function setTurnInfo(context: TurnContext, info: TurnInfo): void {
  context.turnState.set(TURN_INFO, info);
}

export interface PipelineDeps {
  workspaceId: string;
  contacts: {
    resolveChannelContact(
      ws: string,
      id: ChannelIdentity,
      name: string,
    ): Promise<{ contact: Contact; created: boolean }>;
    get(ws: string, id: string): Promise<Contact>;
  };
  /** Records the message: conversations (not messages) counted, intents, lastMessageAt. */
  activity: {
    recordMessage(ws: string, contactId: string, m: MessageSignal, messageId?: string): Promise<void>;
  };
  /** The workspace's segments, highest priority first. */
  segments: { list(ws: string): Promise<Segment[]> };
  roles: RoleStore;
  refs: Pick<ConversationRefRepo, 'save'>;
  clock: () => Date;
  /** False: skip reading the caller's segments (TurnInfo.segments = []). Default true. */
  personalisation?: boolean;
  /** Is this agent in a live handoff (what they type is relayed to a customer)? Default: never. */
  agentInConversation?: (ws: string, channelId: string, userId: string) => Promise<boolean>;
}

export class TurnPipeline implements Middleware {
  constructor(private readonly deps: PipelineDeps) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const caller = callerOf(context);
    if (caller) setTurnInfo(context, await this.resolve(context, caller));
    await next();
  }

  /**
   * Staff at work are not customers talking: an admin's or an agent's command, and what an agent
   * types in a live handoff (it is the customer's conversation, relayed), are not recorded as the
   * speaker's own conversation, or an admin previewing `asked about "invoice"` would match it.
   */
  private async staffAtWork(
    ws: string,
    who: { channelId: string; userId: string },
    roles: readonly Role[],
    text: string | undefined,
  ): Promise<boolean> {
    if (roles.length === 0) return false;
    if (cleanText(text).startsWith('/')) return true;
    if (!roles.includes('agent') || !this.deps.agentInConversation) return false;
    return this.deps.agentInConversation(ws, who.channelId, who.userId);
  }

  private async resolve(context: TurnContext, caller: { id: string; name: string }): Promise<TurnInfo> {
    const { deps } = this;
    const ws = deps.workspaceId;
    const a = context.activity;
    const identity = { channelId: a.channelId, userId: caller.id };
    const now = deps.clock();
    const [{ contact: found, created }, roles] = await Promise.all([
      deps.contacts.resolveChannelContact(ws, identity, caller.name),
      deps.roles.rolesOf(ws, identity.channelId, identity.userId),
    ]);
    const recorded = a.type === 'message' && !(await this.staffAtWork(ws, identity, roles, a.text));
    if (recorded) {
      const signal = {
        at: now,
        conversationId: a.conversation?.id ?? '',
        intents: detectIntents(canonicalText(a.text)),
      };
      await deps.activity.recordMessage(ws, found._id, signal, turnEventId(context));
    }
    const ref = TurnContext.getConversationReference(a);
    const [contact, all] = await Promise.all([
      recorded ? deps.contacts.get(ws, found._id) : found,
      deps.personalisation === false ? [] : deps.segments.list(ws),
      deps.refs.save(ws, found._id, identity.channelId, identity.userId, ref, now),
    ]);
    const mine = new Set(contact.segments.map((m) => m.segmentId));
    const segments = all.filter((s) => mine.has(s._id)).sort((x, y) => y.priority - x.priority);
    return { workspaceId: ws, contact, segments, roles, ...identity, newContact: created };
  }
}

/**
 * Who the turn is about: the sender of a message, or the first person (not the bot) added to a
 * conversation. Other activities (typing, reactions, the bot's own join) have no caller.
 */
export function callerOf(context: TurnContext): { id: string; name: string } | undefined {
  const a = context.activity;
  if (a.type === 'message' && a.from?.id) return { id: a.from.id, name: a.from.name ?? '' };
  if (a.type === 'conversationUpdate') {
    const added = a.membersAdded?.find((m) => m.id && m.id !== a.recipient?.id);
    if (added) return { id: added.id, name: added.name ?? '' };
  }
  return undefined;
}

/**
 * The activity as an idempotent `conversation` event id: a channel's retry of the same activity
 * counts once. Hashed, because activity ids are only unique per conversation and may hold
 * characters event ids do not allow.
 */
export function turnEventId(context: TurnContext): string | undefined {
  const a = context.activity;
  if (!a.id) return undefined;
  const h = createHash('sha256').update(JSON.stringify([a.channelId, a.conversation?.id, a.id]));
  return `bot-turn:${h.digest('hex').slice(0, 40)}`;
}
