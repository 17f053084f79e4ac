/**
 * Conversation-aware rule conditions (issue 13): our compiled predicate against mingo running the
 * same rule's Mongo filter (`$elemMatch` on the ranked occurrences), on synthetic contacts whose
 * conversation activity is built with the bot's own code (applyMessage), so the stored shape is
 * exactly what production writes. Match counts must agree.
 */
import { performance } from 'node:perf_hooks';
import { Query } from 'mingo';
import { applyMessage, type ConversationActivity } from '../../src/domain/conversations/activity';
import { INTENTS } from '../../src/domain/conversations/intents';
import { compileMongo, compilePredicate, parseRule, type RuleContact } from '../../src/rules';
import { Rng } from '../support/rng';
import { affordable, collect, countOurs, timeHot, timeOursAndMingo } from './timing';

const RULES = [
  'tag = "VIP" AND asked about "cancel" at least 1 times in last 3 days',
  'conversations in last 7 days >= 3',
  'asked about "refund" at least 2 times in last 14 days OR handoff open',
  'conversations in last 30 days = 0 AND last message within last 90 days',
];
const D = 86_400_000;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

/** Contacts with 0..30 messages over the last 60 days, in 1..8 conversations, some intents. */
function activityContacts(n: number, now: Date): RuleContact[] {
  const r = new Rng(7);
  const out: RuleContact[] = [];
  for (let i = 0; i < n; i++) {
    let a: ConversationActivity = {};
    const messages = r.int(31);
    const starts = Array.from({ length: messages }, () => now.getTime() - r.int(60 * D)).sort(
      (x, y) => x - y,
    );
    for (const [k, t] of starts.entries()) {
      const intents = r.chance(0.2) ? [r.pick(INTENTS)] : [];
      a = {
        ...a,
        ...applyMessage(a, { at: new Date(t), conversationId: `c${k % (1 + r.int(8))}`, intents }),
      };
    }
    const c: RuleContact = { tags: r.chance(0.05) ? ['VIP'] : [], ...a };
    if (r.chance(0.02)) c.handoffStatus = 'waiting';
    out.push(c);
  }
  return out;
}

export async function benchConversationRules(
  log: (line: string) => void,
  opts: { contacts?: number } = {},
): Promise<boolean> {
  const total = opts.contacts ?? 200_000;
  const now = new Date('2025-06-15T12:00:00.000Z');
  const t0 = performance.now();
  const contacts = activityContacts(total, now);
  collect();
  log(`conversation rules: ${fmt(total)} contacts with bot activity in ${fmt(performance.now() - t0)} ms`);
  let ok = true;
  for (const text of RULES) {
    const rule = parseRule(text);
    const predicate = compilePredicate(rule);
    const query = new Query(compileMongo(rule, now));
    const mingoN = await affordable(() => query.test(contacts[0] as RuleContact), 20, total);
    const { ours, mingo } = timeOursAndMingo(contacts, predicate, now, query, mingoN);
    const hot = timeHot(contacts, predicate, now, query);
    const same = countOurs(contacts, mingo.evaluated, predicate, now) === mingo.count;
    ok &&= same;
    log(``);
    log(`${text}`);
    log(
      `  ours  ${fmt(ours.perSecond).padStart(12)} evals/s   matches ${fmt(ours.count)} of ${fmt(ours.evaluated)}`,
    );
    log(
      `  mingo ${fmt(mingo.perSecond).padStart(12)} evals/s   matches ${fmt(mingo.count)} of ${fmt(mingo.evaluated)}`,
    );
    log(
      `  ours/mingo ${(ours.perSecond / mingo.perSecond).toFixed(1)}× streaming, ${(hot.ours / hot.mingo).toFixed(1)}× in cache; counts ${same ? 'agree' : '!!! DIFFER !!!'}`,
    );
  }
  return ok;
}
