/**
 * Conversation activity (issue 13 fix 2 and the conversation-aware rules' stored traits): what
 * starts a conversation, ranked occurrences (newest is r = 1), bounds, and intent detection.
 */
import {
  applyMessage,
  CONVERSATION_GAP_MS,
  MAX_RANK,
  MAX_WINDOW_MS,
  startsConversation,
  type ConversationActivity,
} from '../../../src/domain/conversations/activity';
import { detectIntents, INTENTS } from '../../../src/domain/conversations/intents';

const T0 = new Date('2026-03-01T12:00:00Z').getTime();
const at = (ms: number) => new Date(T0 + ms);
const msg = (ms: number, conversationId = 'c1', intents: string[] = []) => ({
  at: at(ms),
  conversationId,
  intents,
});

test.each([
  ['the first message', {}, msg(0), true],
  [
    'the same conversation a minute later',
    { lastMessageAt: at(0), lastConversationId: 'c1' },
    msg(60_000),
    false,
  ],
  [
    'exactly 30 minutes of silence',
    { lastMessageAt: at(0), lastConversationId: 'c1' },
    msg(CONVERSATION_GAP_MS),
    false,
  ],
  [
    'more than 30 minutes of silence',
    { lastMessageAt: at(0), lastConversationId: 'c1' },
    msg(CONVERSATION_GAP_MS + 1),
    true,
  ],
  ['another conversation id', { lastMessageAt: at(0), lastConversationId: 'c1' }, msg(1000, 'c2'), true],
])('%s: new conversation = %s', (_name, prev: ConversationActivity, m, expected) => {
  expect(startsConversation(prev, m)).toBe(expected);
});

test('three messages in one conversation are one conversation; ranks put the newest first', () => {
  let a: ConversationActivity = {};
  let conversations = 0;
  for (const m of [msg(0), msg(1000), msg(2000), msg(3_600_000), msg(3_601_000, 'c9')]) {
    const c = applyMessage(a, m);
    if (c.newConversation) conversations++;
    a = c;
  }
  expect(conversations).toBe(3);
  expect(a.recentConversations).toEqual([
    { r: 1, at: at(3_601_000) },
    { r: 2, at: at(3_600_000) },
    { r: 3, at: at(0) },
  ]);
  expect(a.lastMessageAt).toEqual(at(3_601_000));
});

test('counters keep at most MAX_RANK occurrences and drop those older than the longest window', () => {
  let a: ConversationActivity = { recentIntents: [{ i: 'refund', r: 1, at: at(-MAX_WINDOW_MS - 1) }] };
  for (let k = 0; k < MAX_RANK + 5; k++) a = applyMessage(a, msg(k * 1000, `c${k}`, ['refund', 'refund']));
  expect(a.recentConversations).toHaveLength(MAX_RANK);
  const refunds = a.recentIntents!.filter((x) => x.i === 'refund');
  expect(refunds).toHaveLength(MAX_RANK);
  expect(refunds.map((x) => x.r)).toEqual(Array.from({ length: MAX_RANK }, (_, k) => k + 1));
  expect(refunds[0]!.at).toEqual(at((MAX_RANK + 4) * 1000));
});

test.each([
  ['i want a refund please', ['refund']],
  ['how much does it cost to cancel?', ['cancel', 'pricing']],
  ['where is my order', ['delivery']],
  ['billion dollar idea', []],
  ['the bill is wrong and i want my money back', ['refund', 'invoice']],
])('detectIntents(%j) = %j', (text, intents) => {
  expect(detectIntents(text)).toEqual(intents);
});

test('the intent names are lower-case words, sorted', () => {
  expect([...INTENTS]).toEqual([...INTENTS].sort());
  for (const i of INTENTS) expect(i).toMatch(/^[a-z]+$/);
});
