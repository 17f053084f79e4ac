/**
 * The demo data set, generated (pure and deterministic): contacts with realistic spreads of
 * purchases, conversations, tickets, deals and lead scores; the five segments of the product page;
 * one static list. Event ids and external ids are stable, so seeding twice changes nothing.
 */
import { Rng } from '../util/rng';

const DAY = 86_400_000;
/** The days the demo tells a story over: most contacts joined, bought and talked during them. */
export const HISTORY_DAYS = 90;
const FIRST = [
  'Ana',
  'Ben',
  'Chloé',
  'Dmitri',
  'Emma',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemi',
  'Liam',
  'Mia',
  'Noah',
  'Olga',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tariq',
  'Uma',
  'Victor',
  'Wen',
  'Yara',
  'Zoe',
];
const LAST = [
  'Smith',
  'García',
  'Müller',
  'Okafor',
  'Rossi',
  'Nguyen',
  'Kowalski',
  'Haddad',
  'Silva',
  'Tanaka',
  'Dubois',
  'Larsen',
  'Petrov',
  'Khan',
  'Murphy',
  'Jansen',
];
const DOMAINS = ['example.com', 'mail.example.org', 'company.com', 'shop.example.net', 'acme.example'];
const TAGS = ['VIP', 'beta', 'newsletter', 'wholesale', 'partner'];
const PLANS = ['free', 'pro', 'enterprise'];
const REGIONS = ['eu', 'us', 'apac'];

export const DEMO_SEGMENTS = [
  { name: 'VIP Customers', rule: 'lifetimeValue > 5000 OR tag = "VIP"', priority: 100, routing: true },
  {
    name: 'At Risk',
    rule: 'supportTickets > 3 AND NOT lastPurchaseAt within last 60 days',
    priority: 80,
    routing: false,
  },
  { name: 'High Intent', rule: 'leadScore > 80 AND openDeals > 0', priority: 60, routing: false },
  {
    name: 'Inactive 30 Days',
    rule: 'lastConversationAt more than 30 days ago',
    priority: 40,
    routing: false,
  },
  { name: 'New This Week', rule: 'createdAt within last 7 days', priority: 20, routing: false },
] as const;

export const DEMO_LIST = { name: 'Beta testers', tag: 'beta' } as const;

export interface DemoContact {
  externalId: string;
  name: string;
  email: string;
  tags: string[];
  custom: Record<string, string | number>;
  createdAt: Date;
  events: { eventId: string; type: string; at: string; data?: Record<string, unknown> }[];
}

/** `count` contacts as of `now`, from a fixed seed. */
export function demoContacts(count: number, now: Date, seed = 42): DemoContact[] {
  const r = new Rng(seed);
  return Array.from({ length: count }, (_, i) => demoContact(r, i, now.getTime()));
}

function demoContact(r: Rng, i: number, now: number): DemoContact {
  const first = r.pick(FIRST);
  const last = r.pick(LAST);
  const id = `seed-${String(i + 1).padStart(5, '0')}`;
  // About 40% were customers before the demo's 90 days; the rest joined evenly during them (about
  // 4% in the last week), so sizes grow and move on every chart.
  const ageDays = r.chance(0.4) ? HISTORY_DAYS + r.next() * 610 : r.next() * HISTORY_DAYS;
  const createdAt = now - ageDays * DAY;
  const events: DemoContact['events'] = [];
  const at = (daysAgoMax: number) =>
    new Date(now - r.next() * Math.min(daysAgoMax, ageDays) * DAY).toISOString();
  const add = (type: string, when: string, data?: Record<string, unknown>) =>
    events.push({ eventId: `${id}-${events.length + 1}`, type, at: when, ...(data ? { data } : {}) });
  const big = r.chance(0.1);
  for (let p = r.int(big ? 12 : 5); p > 0; p--) {
    add('purchase', at(400), {
      amount: Math.round((big ? 300 + r.next() * 1500 : 10 + r.next() * 300) * 100) / 100,
      currency: 'EUR',
    });
  }
  if (r.chance(0.05)) add('refund', at(90), { amount: Math.round(r.next() * 100) });
  // Conversations: recent for most, long ago for a quarter (they fall into "Inactive 30 Days").
  add('conversation', at(r.chance(0.25) ? 400 : 25));
  for (let t = r.chance(0.15) ? 3 + r.int(4) : r.int(2); t > 0; t--) add('ticket.opened', at(120));
  if (r.chance(0.2)) add('ticket.closed', at(30));
  if (r.chance(0.25)) add('deal.opened', at(60));
  if (r.chance(0.1)) add('deal.closed', at(20), { won: r.chance(0.5) });
  if (r.chance(0.6)) add('lead_score.set', at(60), { score: r.int(101) });
  return {
    externalId: id,
    name: `${first} ${last}`,
    email: `${first}.${last}.${i + 1}@${r.pick(DOMAINS)}`
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .toLowerCase(),
    tags: r.chance(0.3) ? [...new Set(r.some(TAGS, 2))] : [],
    custom: { plan: r.pick(PLANS), region: r.pick(REGIONS), seats: 1 + r.int(50) },
    createdAt: new Date(createdAt),
    events,
  };
}
