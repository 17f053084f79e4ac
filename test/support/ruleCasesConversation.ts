/**
 * Rows of the rule semantics table (ruleCases.ts) for the conversation-aware conditions
 * (issue 13): windowed counts over ranked occurrences (r = 1 is the most recent), the handoff
 * fields, `opted out` and `last message`. Same NOW and format as ruleCases.ts.
 */
const NOW_MS = Date.parse('2025-06-15T12:00:00.000Z');
const ago = (ms: number): Date => new Date(NOW_MS - ms);
const H = 3_600_000;
const D = 86_400_000;
type Loose = Record<string, unknown>;
const missing = {};

/** Conversations at these instants, newest first (as the bot stores them: r = 1 is the latest). */
const conv = (...ats: Date[]): Loose => ({ recentConversations: ats.map((at, k) => ({ r: k + 1, at })) });
const asked = (i: string, ...ats: Date[]): Loose => ({
  recentIntents: ats.map((at, k) => ({ i, r: k + 1, at })),
});

export const CONVERSATION_CASES: [string, Loose, boolean][] = [
  // conversation-aware (issue 13): ranked occurrences, r = 1 the most recent
  ['conversations in last 7 days >= 2', conv(ago(H), ago(7 * D)), true],
  ['conversations in last 7 days >= 2', conv(ago(H), ago(7 * D + 1)), false],
  ['conversations in last 7 days >= 2', conv(ago(H)), false],
  ['conversations in last 7 days >= 2', missing, false],
  ['conversations in last 7 days >= 1', { recentConversations: [{ r: 1, at: ago(H).toISOString() }] }, false],
  ['conversations in last 7 days >= 1', { recentConversations: [{ r: '1', at: ago(H) }] }, false],
  ['conversations in last 7 days >= 1', { recentConversations: { r: 1, at: ago(H) } }, false],
  ['conversations in last 7 days >= 1', { recentConversations: [null, { r: 1, at: ago(H) }] }, true],
  ['conversations in last 7 days > 1', conv(ago(H), ago(2 * H)), true],
  ['conversations in last 7 days > 1', conv(ago(H)), false],
  ['conversations in last 2 hours < 2', conv(ago(H), ago(3 * H)), true],
  ['conversations in last 2 hours < 2', conv(ago(H), ago(2 * H)), false],
  ['conversations in last 2 hours < 1', missing, true],
  ['conversations in last 1 day <= 1', conv(ago(H), ago(2 * H)), false],
  ['conversations in last 1 day <= 1', conv(ago(H), ago(2 * D)), true],
  ['conversations in last 1 day = 0', conv(ago(2 * D)), true],
  ['conversations in last 1 day = 0', conv(ago(H)), false],
  ['conversations in last 1 day = 2', conv(ago(H), ago(2 * H), ago(2 * D)), true],
  ['conversations in last 1 day = 2', conv(ago(H), ago(2 * H), ago(3 * H)), false],
  ['NOT conversations in last 1 day = 2', conv(ago(H)), true],
  ['asked about "refund" at least 2 times in last 14 days', asked('refund', ago(D), ago(14 * D)), true],
  ['asked about "refund" at least 2 times in last 14 days', asked('refund', ago(D), ago(15 * D)), false],
  ['asked about "refund" at least 2 times in last 14 days', asked('cancel', ago(D), ago(D)), false],
  ['asked about "Refund" at least 1 time in last 10 minutes', asked('refund', ago(10 * 60_000)), true],
  ['asked about "refund" fewer than 1 times in last 1 day', asked('cancel', ago(H)), true],
  ['asked about "refund" exactly 1 time in last 1 day', asked('refund', ago(H), ago(2 * D)), true],
  ['asked about "refund" at most 1 time in last 1 day', asked('refund', ago(H), ago(2 * H)), false],
  ['asked about "refund" more than 1 time in last 1 day', asked('refund', ago(H), ago(2 * H)), true],
  [
    'tag = "VIP" AND asked about "cancel" at least 1 times in last 3 days',
    { tags: ['VIP'], ...asked('cancel', ago(D)) },
    true,
  ],
  ['tag = "VIP" AND asked about "cancel" at least 1 times in last 3 days', { tags: ['VIP'] }, false],
  ['handoff open', { handoffStatus: 'waiting' }, true],
  ['handoff open', { handoffStatus: null }, false],
  ['handoff open', missing, false],
  ['waited for an agent more than 10 minutes', { handoffWaitingSince: ago(10 * 60_000 + 1) }, true],
  ['waited for an agent more than 10 minutes', { handoffWaitingSince: ago(10 * 60_000) }, false],
  ['waited for an agent more than 10 minutes', missing, false],
  ['opted out', { optedOut: true }, true],
  ['opted out', { optedOut: 'true' }, false],
  ['last message within last 2 hours', { lastMessageAt: ago(2 * H) }, true],
  ['last message within last 2 hours', { lastMessageAt: ago(2 * H + 1) }, false],
];
