/**
 * Random contact changes for the membership benchmark, seeded: the events of DESIGN §3.1
 * (purchase, conversation, lead score, deals, tickets) as trait `$inc`/`$set`, and a few plain
 * contact writes (tags, custom fields). Every change bumps `version`, as the contact service does.
 */
import type { Filter, UpdateFilter } from 'mongodb';
import type { ContactDoc } from '../../src/infra/membership/store';
import { Rng } from '../support/rng';
import { contactId } from './membershipLoad';

export interface Change {
  contactId: string;
  kind: string;
  cause: 'event' | 'contact';
  /** Extra conditions (e.g. a deal can only close when one is open); `_id` and workspace are added. */
  where: Filter<ContactDoc>;
  update: UpdateFilter<ContactDoc>;
}

const TAGS = ['VIP', 'Beta', 'newsletter', 'wholesale', 'b2b', 'trial', 'churn-risk'];
const PLANS = ['free', 'pro', 'team', 'enterprise'];

/** An endless, seeded stream of changes to contacts `0..n-1`, timestamped by `now()`. */
export function changeStream(n: number, now: () => Date, seed = 11): () => Change {
  const r = new Rng(seed);
  return () => {
    const id = contactId(r.int(n));
    const at = now();
    const u = r.next();
    const ev = (kind: string, update: UpdateFilter<ContactDoc>, where: Filter<ContactDoc> = {}): Change => ({
      contactId: id,
      kind,
      cause: 'event',
      where,
      update: { ...update, $set: { ...(update.$set ?? {}), updatedAt: at } },
    });
    if (u < 0.3) {
      return ev('conversation', { $set: { lastConversationAt: at }, $inc: { conversationCount: 1 } });
    }
    if (u < 0.45) {
      const amount = Math.round(Math.exp(4 + 1.5 * (r.next() + r.next() - 1)) * 100) / 100;
      return ev('purchase', {
        $set: { lastPurchaseAt: at },
        $inc: { lifetimeValue: amount, purchaseCount: 1 },
      });
    }
    if (u < 0.6) return ev('lead_score.set', { $set: { leadScore: r.int(101), leadScoreAt: at } });
    if (u < 0.68) return ev('deal.opened', { $inc: { openDeals: 1 } });
    if (u < 0.74) return ev('deal.closed', { $inc: { openDeals: -1 } }, { openDeals: { $gt: 0 } });
    if (u < 0.8) return ev('ticket.opened', { $inc: { supportTickets: 1, totalTickets: 1 } });
    if (u < 0.86)
      return ev('ticket.closed', { $inc: { supportTickets: -1 } }, { supportTickets: { $gt: 0 } });
    const write = (kind: string, update: UpdateFilter<ContactDoc>): Change => ({
      contactId: id,
      kind,
      cause: 'contact',
      where: {},
      update: { ...update, $set: { ...(update.$set ?? {}), updatedAt: at } },
    });
    if (u < 0.92) return write('tag added', { $addToSet: { tags: r.pick(TAGS) } });
    if (u < 0.95) return write('tag removed', { $pull: { tags: r.pick(TAGS) } });
    return write('custom.plan set', { $set: { 'custom.plan': r.pick(PLANS) } });
  };
}
