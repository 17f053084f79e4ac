/**
 * Deterministic synthetic contacts for benchmarks, with roughly realistic distributions: most
 * contacts spend little, a few spend a lot; lead scores spread evenly; most have no open deals
 * or tickets; activity dates skew recent; some fields are missing as in real data.
 */
import type { RuleContact } from '../../src/rules/ast';
import { Rng } from '../support/randomContacts';

const D = 86_400_000;
const TAGS = ['VIP', 'vip', 'Beta', 'newsletter', 'churn-risk', 'wholesale', 'b2b', 'trial'];
const PLANS = ['free', 'pro', 'team', 'enterprise'];

/** A Poisson-ish small count with the given mean. */
function count(r: Rng, mean: number): number {
  let n = 0;
  let p = Math.exp(-mean);
  let s = p;
  const u = r.next();
  while (u > s && n < 50) {
    n++;
    p *= mean / n;
    s += p;
  }
  return n;
}

/** `n` contacts generated from `seed`, as of `now`. */
export function syntheticContacts(n: number, now: Date, seed = 1): RuleContact[] {
  const r = new Rng(seed);
  const t = now.getTime();
  const ago = (maxDays: number, skew: number) =>
    new Date(t - Math.floor(Math.pow(r.next(), skew) * maxDays * D));
  const out: RuleContact[] = new Array<RuleContact>(n);
  for (let i = 0; i < n; i++) {
    const purchases = r.chance(0.6) ? 1 + count(r, 3) : 0;
    // Log-normal spend (median ~400, about 5% above 5,000); z is roughly standard normal.
    const z = (r.next() + r.next() + r.next() - 1.5) * 2;
    const ltv = purchases === 0 ? 0 : Math.round(Math.exp(6 + 1.5 * z) * 100) / 100;
    const tags: string[] = [];
    for (const tag of TAGS) if (r.chance(tag === 'VIP' ? 0.03 : 0.08)) tags.push(tag);
    const c: RuleContact = {
      name: `Contact ${i}`,
      email: `user${i}@example${i % 97}.com`,
      emailDomain: `example${i % 97}.com`,
      createdAt: ago(730, 1.5),
      updatedAt: ago(30, 2),
      tags,
      optedOut: r.chance(0.04),
      lifetimeValue: ltv,
      purchaseCount: purchases,
      conversationCount: count(r, 6),
      leadScore: r.int(101),
      openDeals: r.chance(0.25) ? 1 + count(r, 0.6) : 0,
      supportTickets: r.chance(0.3) ? count(r, 2) : 0,
      totalTickets: count(r, 4),
      custom: { plan: r.pick(PLANS) },
      segments: [],
    };
    if (purchases > 0) c.lastPurchaseAt = ago(365, 1.8);
    if (r.chance(0.9)) c.lastConversationAt = ago(120, 1.6);
    out[i] = c;
  }
  return out;
}
