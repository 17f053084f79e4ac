/**
 * Conversation activity on a contact, as windowed counters both rule targets can evaluate
 * (DESIGN §2.1: range queries only on scalar fields). Instead of per-day buckets that would need
 * a sum, each counter keeps its most recent occurrences **ranked**: `{r: 1, at}` is the latest,
 * `{r: 2, at}` the one before, and so on. "At least K in the last N days" is then exactly "the
 * K-th most recent occurrence is at or after now − N days": one `$elemMatch` on scalar fields in
 * Mongo, one array scan in the predicate, and the instant it stops holding (at + N days) is what
 * nextFlip needs. Pure functions; the repository writes the result guarded by the contact's version.
 */

import { MAX_RANK, MAX_WINDOW_MS } from '../../rules/conversationTerms';

export { MAX_RANK, MAX_WINDOW_MS } from '../../rules/conversationTerms';

/** One ranked occurrence: the conversation (or intent mention) that is `r`-th most recent. */
export interface RankedAt {
  r: number;
  at: Date;
}

/** A ranked mention of an intent (`i`, lower case). Ranks are per intent. */
export interface RankedIntent extends RankedAt {
  i: string;
}

/** A message after this much silence starts a new conversation (else: a new conversation id). */
export const CONVERSATION_GAP_MS = 30 * 60_000;

/** What the contact stores about its conversations (all optional: absent until the first message). */
export interface ConversationActivity {
  lastMessageAt?: Date;
  lastConversationId?: string;
  recentConversations?: RankedAt[];
  recentIntents?: RankedIntent[];
}

/** One bot message as the activity sees it. */
export interface MessageSignal {
  at: Date;
  conversationId: string;
  intents: readonly string[];
}

/** The fields to write for a message, and whether it started a conversation. */
export interface ActivityChange {
  newConversation: boolean;
  lastMessageAt: Date;
  lastConversationId: string;
  recentConversations: RankedAt[];
  recentIntents: RankedIntent[];
}

/**
 * A new conversation: the first message, a conversation id other than the last message's, or a
 * message more than 30 minutes after the previous one.
 */
export function startsConversation(prev: ConversationActivity, m: MessageSignal): boolean {
  if (!prev.lastMessageAt || prev.lastConversationId !== m.conversationId) return true;
  return m.at.getTime() - prev.lastMessageAt.getTime() > CONVERSATION_GAP_MS;
}

/** `ats` newest first, without those too old to matter, at most MAX_RANK, ranked from 1. */
function rank(ats: Date[], latest: number): Date[] {
  return ats
    .filter((d) => d.getTime() >= latest - MAX_WINDOW_MS)
    .sort((a, b) => b.getTime() - a.getTime())
    .slice(0, MAX_RANK);
}

const ranked = (ats: Date[]): RankedAt[] => ats.map((at, k) => ({ r: k + 1, at }));

/** The activity after one message. */
export function applyMessage(prev: ConversationActivity, m: MessageSignal): ActivityChange {
  const newConversation = startsConversation(prev, m);
  const latest = Math.max(m.at.getTime(), prev.lastMessageAt?.getTime() ?? -Infinity);
  const conversations = (prev.recentConversations ?? []).map((x) => x.at);
  if (newConversation) conversations.push(m.at);
  const byIntent = new Map<string, Date[]>();
  for (const x of prev.recentIntents ?? []) byIntent.set(x.i, [...(byIntent.get(x.i) ?? []), x.at]);
  for (const i of new Set(m.intents)) byIntent.set(i, [...(byIntent.get(i) ?? []), m.at]);
  const recentIntents: RankedIntent[] = [];
  for (const i of [...byIntent.keys()].sort()) {
    for (const x of ranked(rank(byIntent.get(i) ?? [], latest))) recentIntents.push({ i, ...x });
  }
  return {
    newConversation,
    lastMessageAt: new Date(latest),
    lastConversationId: m.conversationId,
    recentConversations: ranked(rank(conversations, latest)),
    recentIntents,
  };
}
