/**
 * The operations a simulated sequence is made of, and fast-check arbitraries that generate them.
 * Everything refers to small slots (contact c0..c3, segment S0..S3, list L0..L1), so a sequence
 * stays meaningful when fast-check shrinks it (an operation on an empty slot is skipped, or, for
 * events, sent for an unknown contact). Times are offsets from the clock at that step; absolute
 * dates in rules are day offsets from the sequence's start (`@day:-3`), filled in when applied.
 */
import fc from 'fast-check';
import type { Condition, Rule } from '../../src/rules/ast';
import type { SimEvent } from './model/contact';

export const CONTACTS = 3;
export const SEGMENT_SLOTS = 3;
export const LIST_SLOTS = 1;

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;

/** Which app process serves the request (two processes share one database). */
type Via = { via: 0 | 1 };

export interface ContactFields {
  name?: string;
  email?: string;
  tags?: string[];
  plan?: string;
  createdAgoMs?: number;
  lastPurchaseAgoMs?: number;
  lastConversationAgoMs?: number;
  supportTickets?: number;
  lifetimeValue?: number;
  leadScore?: number;
}

export type Op =
  | ({ kind: 'upsert'; k: number; bulk: boolean; fields: ContactFields } & Via)
  | ({ kind: 'patch'; k: number; tags?: string[]; plan?: string | null; name?: string } & Via)
  | ({ kind: 'tags'; k: number; add: string[]; remove: string[] } & Via)
  | ({ kind: 'event'; k: number; id: number; agoMs: number; event: SimEvent } & Via)
  | ({ kind: 'replay'; n: number } & Via)
  | ({ kind: 'deleteContact'; k: number } & Via)
  | ({ kind: 'createSegment'; slot: number; rule: Rule } & Via)
  | ({ kind: 'editSegment'; slot: number; rule: Rule } & Via)
  | ({ kind: 'deleteSegment'; slot: number } & Via)
  | ({ kind: 'createList'; slot: number } & Via)
  | ({ kind: 'listAdd' | 'listRemove'; slot: number; k: number } & Via)
  | ({ kind: 'deleteList'; slot: number } & Via)
  | { kind: 'advance'; ms: number }
  | { kind: 'restart'; which: 0 | 1 };

const WINDOWS = [
  { amount: 10, unit: 'minutes' },
  { amount: 1, unit: 'hours' },
  { amount: 1, unit: 'days' },
  { amount: 7, unit: 'days' },
  { amount: 30, unit: 'days' },
  { amount: 60, unit: 'days' },
] as const;
const WINDOW_MS = [10 * MIN, H, D, 7 * D, 30 * D, 60 * D];
const NEAR = [-2 * H, -MIN, -30 * S, -5 * S, -1, 0, 1, 5 * S, 30 * S, MIN, 2 * H];

/**
 * What a sequence is "about": one date field with one window, and one counter with a threshold.
 * Most time conditions, dates and clock moves use the theme, so that data, rules and clock
 * actually meet (with 3 fields and 6 windows drawn independently they rarely did); the rest is
 * drawn from everything, so nothing is out of reach.
 */
export interface Theme {
  field: string;
  window: number;
  counter: string;
  threshold: number;
}

const DATE_FIELDS = ['createdAt', 'lastPurchaseAt', 'lastConversationAt'];
const NUMBER_FIELDS = [
  'lifetimeValue',
  'purchaseCount',
  'conversationCount',
  'supportTickets',
  'totalTickets',
  'openDeals',
  'leadScore',
];
const NUMS = [0, 1, 2, 3, 4, 50, 80, 100, 300];

export const arbTheme: fc.Arbitrary<Theme> = fc.record({
  field: fc.constantFrom(...DATE_FIELDS),
  window: fc.integer({ min: 0, max: WINDOWS.length - 1 }),
  counter: fc.constantFrom(
    'purchaseCount',
    'supportTickets',
    'lifetimeValue',
    'conversationCount',
    'openDeals',
  ),
  threshold: fc.constantFrom(0, 1, 100),
});

/** How long ago something happened: mostly just inside or outside a rule window. */
function arbAgo(t: Theme): fc.Arbitrary<number> {
  const near = (w: fc.Arbitrary<number>) =>
    fc.tuple(w, fc.constantFrom(...NEAR)).map(([x, e]) => Math.max(0, x + e));
  return fc.oneof(
    { weight: 4, arbitrary: near(fc.constant(WINDOW_MS[t.window]!)) },
    { weight: 2, arbitrary: near(fc.constantFrom(...WINDOW_MS)) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 90 * D }) },
  );
}

/** Events may also carry a time a little in the future (clocks disagree). */
const arbEventAgo = (t: Theme) =>
  fc.oneof({ weight: 6, arbitrary: arbAgo(t) }, { weight: 1, arbitrary: fc.constantFrom(-MIN, -H, -D) });

/** Clock moves: across the theme's window edges (the NEAR offsets), or anything up to 2 days. */
const arbAdvance = (t: Theme): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(S, 6 * S, 31 * S, 61 * S, 2 * H + S) },
    { weight: 2, arbitrary: fc.constantFrom(WINDOW_MS[t.window]!, WINDOW_MS[t.window]! + 2 * H) },
    { weight: 1, arbitrary: fc.constantFrom(11 * MIN, H, D, 7 * D, 30 * D, 61 * D) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 * D }) },
  );

const TAGS = ['VIP', 'vip', 'Beta', 'churn', 'Gold'];
const PLANS = ['pro', 'Pro', 'enterprise', 'free'];
const NAMES = ['Ann Smith', 'bob', 'Cara SMITH', ''];
const DOMAINS = ['company.com', 'Company.com', 'example.org'];

const arbK = fc.integer({ min: 0, max: CONTACTS - 1 });
const arbVia = fc.constantFrom<0 | 1>(0, 1);
const arbTags = fc.uniqueArray(fc.constantFrom(...TAGS), { maxLength: 3 });

const arbFields = (t: Theme): fc.Arbitrary<ContactFields> =>
  fc.record(
    {
      name: fc.constantFrom(...NAMES),
      email: fc.constantFrom(...DOMAINS),
      tags: arbTags,
      plan: fc.constantFrom(...PLANS),
      createdAgoMs: arbAgo(t),
      lastPurchaseAgoMs: arbAgo(t),
      lastConversationAgoMs: arbAgo(t),
      supportTickets: fc.integer({ min: 0, max: 6 }),
      lifetimeValue: fc.integer({ min: 0, max: 500 }),
      leadScore: fc.constantFrom(0, 50, 80, 81, 100),
    },
    { requiredKeys: [] },
  );

const anyEvent: fc.Arbitrary<SimEvent> = fc.oneof(
  fc.record({ type: fc.constant('purchase' as const), amount: fc.integer({ min: 0, max: 300 }) }),
  fc.record({ type: fc.constant('refund' as const), amount: fc.integer({ min: 0, max: 100 }) }),
  fc.constant({ type: 'conversation' as const }),
  fc.record({
    type: fc.constantFrom('ticket.opened' as const, 'ticket.closed' as const),
    ticketId: fc.constantFrom('t1', 't2', 't3', 't4', 't5'),
  }),
  fc.record({ type: fc.constant('deal.opened' as const), dealId: fc.constantFrom('d1', 'd2') }),
  fc.record({
    type: fc.constant('deal.closed' as const),
    dealId: fc.constantFrom('d1', 'd2'),
    won: fc.boolean(),
  }),
  fc.record({ type: fc.constant('lead_score.set' as const), score: fc.constantFrom(0, 50, 80, 81, 100) }),
);

/** Half of the events move the theme's counter (so rules on it flip), half are anything. */
function arbEvent(t: Theme): fc.Arbitrary<SimEvent> {
  const tickets = (open: boolean) => ({
    type: open ? ('ticket.opened' as const) : ('ticket.closed' as const),
  });
  const moving: Record<string, fc.Arbitrary<SimEvent>> = {
    purchaseCount: fc.constant({ type: 'purchase' as const, amount: 10 }),
    lifetimeValue: fc.record({
      type: fc.constant('purchase' as const),
      amount: fc.constantFrom(40, 60, 150),
    }),
    conversationCount: fc.constant({ type: 'conversation' as const }),
    supportTickets: fc
      .tuple(fc.boolean(), fc.constantFrom('t1', 't2', 't3'))
      .map(([open, ticketId]) => ({ ...tickets(open), ticketId })),
    openDeals: fc
      .tuple(fc.boolean(), fc.constantFrom('d1', 'd2'))
      .map(([open, dealId]): SimEvent =>
        open ? { type: 'deal.opened', dealId } : { type: 'deal.closed', dealId, won: true },
      ),
  };
  return fc.oneof(
    { weight: 1, arbitrary: moving[t.counter] ?? anyEvent },
    { weight: 1, arbitrary: anyEvent },
  );
}

// ---- rules -------------------------------------------------------------------------------

const TEXT_FIELDS = ['name', 'email', 'emailDomain', 'custom.plan'];
const TEXTS = [
  'smith',
  'SMITH',
  'Ann',
  'b',
  '@company.com',
  'company.com',
  'COMPANY.COM',
  'pro',
  'PRO',
  'x',
  'org',
];
const cond = (field: string, operator: Condition['operator'], value?: Condition['value']): Condition =>
  value === undefined
    ? { kind: 'condition', field, operator }
    : { kind: 'condition', field, operator, value };

const arbTimeCond = (t: Theme): fc.Arbitrary<Condition> =>
  fc
    .tuple(
      fc.oneof(
        { weight: 3, arbitrary: fc.constant(t.field) },
        { weight: 1, arbitrary: fc.constantFrom(...DATE_FIELDS) },
      ),
      fc.constantFrom('within last' as const, 'more than ago' as const),
      fc.oneof(
        { weight: 3, arbitrary: fc.constant(WINDOWS[t.window]!) },
        { weight: 1, arbitrary: fc.constantFrom(...WINDOWS) },
      ),
    )
    .map(([f, op, w]) => cond(f, op, { ...w }));

/** The theme's counter against its threshold: what events move across. */
const arbCounterCond = (t: Theme): fc.Arbitrary<Condition> =>
  fc
    .constantFrom('>' as const, '>=' as const, '<' as const, '=' as const)
    .map((op) => cond(t.counter, op, op === '<' || op === '>=' ? t.threshold + 1 : t.threshold));

const arbDateCond: fc.Arbitrary<Condition> = fc
  .tuple(
    fc.constantFrom(...DATE_FIELDS),
    fc.constantFrom(
      'before' as const,
      'after' as const,
      'on' as const,
      'exists' as const,
      'not exists' as const,
    ),
    fc.integer({ min: -70, max: 3 }),
  )
  .map(([f, op, day]) => (op === 'exists' || op === 'not exists' ? cond(f, op) : cond(f, op, `@day:${day}`)));

const arbNumberCond: fc.Arbitrary<Condition> = fc
  .tuple(
    fc.constantFrom(...NUMBER_FIELDS),
    fc.constantFrom('=', '!=', '>', '>=', '<', '<=', 'between', 'in', 'not in', 'exists', 'not exists'),
    fc.constantFrom(...NUMS),
    fc.constantFrom(...NUMS),
  )
  .map(([f, op, a, b]) => {
    if (op === 'exists' || op === 'not exists') return cond(f, op);
    if (op === 'between') return cond(f, op, [Math.min(a, b), Math.max(a, b)]);
    if (op === 'in' || op === 'not in') return cond(f, op, [...new Set([a, b])]);
    return cond(f, op, a);
  });

const arbTextCond: fc.Arbitrary<Condition> = fc
  .tuple(
    fc.constantFrom(...TEXT_FIELDS),
    fc.constantFrom(
      '=',
      '!=',
      'contains',
      'not contains',
      'starts with',
      'ends with',
      'in',
      'not in',
      'exists',
      'not exists',
    ),
    fc.constantFrom(...TEXTS),
    fc.constantFrom(...TEXTS),
  )
  .map(([f, op, a, b]) => {
    if (op === 'exists' || op === 'not exists') return cond(f, op);
    if (op === 'in' || op === 'not in') return cond(f, op, [...new Set([a, b])]);
    return cond(f, op, a);
  });

const arbTagCond: fc.Arbitrary<Condition> = fc.oneof(
  fc.constantFrom(...TAGS).map((t) => cond('tags', 'has', t)),
  fc
    .tuple(
      fc.constantFrom('has any of' as const, 'has all of' as const, 'has none of' as const),
      fc.uniqueArray(fc.constantFrom(...TAGS), { minLength: 1, maxLength: 2 }),
    )
    .map(([op, ts]) => cond('tags', op, ts)),
);

/** `in segment` naming a lower slot or a list (which may not exist when applied: then refused). */
const arbSegmentCond = (slot: number): fc.Arbitrary<Condition> =>
  fc
    .constantFrom(
      ...[
        ...Array.from({ length: slot }, (_, i) => `S${i}`),
        ...Array.from({ length: LIST_SLOTS }, (_, i) => `L${i}`),
      ],
    )
    .map((name) => cond('segment', 'in segment', name));

const withNot = <T extends Rule>(a: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc
    .tuple(a, fc.boolean(), fc.integer({ min: 0, max: 3 }))
    .map(([r, n, w]) => (n && w === 0 ? { ...r, not: true } : r));

function arbCondition(slot: number, t: Theme): fc.Arbitrary<Condition> {
  return withNot(
    fc.oneof(
      { weight: 6, arbitrary: arbTimeCond(t) },
      { weight: 5, arbitrary: arbCounterCond(t) },
      { weight: 2, arbitrary: arbNumberCond },
      { weight: 2, arbitrary: arbTextCond },
      { weight: 2, arbitrary: arbTagCond },
      { weight: 1, arbitrary: arbDateCond },
      { weight: 2, arbitrary: arbSegmentCond(slot) },
    ),
  );
}

/** A rule for segment slot `slot`: a condition, or a group of up to 3 (two levels). */
export function arbRule(slot: number, t: Theme): fc.Arbitrary<Rule> {
  const leaf = arbCondition(slot, t);
  const group = (child: fc.Arbitrary<Rule>, max: number): fc.Arbitrary<Rule> =>
    withNot(
      fc
        .tuple(
          fc.constantFrom('and' as const, 'or' as const),
          fc.array(child, { minLength: 1, maxLength: max }),
        )
        .map(([op, children]) => ({ kind: 'group' as const, op, children })),
    );
  return fc.oneof(
    { weight: 4, arbitrary: leaf },
    { weight: 3, arbitrary: group(leaf, 2) },
    { weight: 1, arbitrary: group(fc.oneof(leaf, group(leaf, 2)), 3) },
  );
}

const arbSlot = fc.integer({ min: 0, max: SEGMENT_SLOTS - 1 });
const arbListSlot = fc.integer({ min: 0, max: LIST_SLOTS - 1 });

export const arbOp = (t: Theme): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('upsert' as const),
        k: arbK,
        bulk: fc.boolean(),
        fields: arbFields(t),
        via: arbVia,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record(
        {
          kind: fc.constant('patch' as const),
          k: arbK,
          tags: arbTags,
          plan: fc.option(fc.constantFrom(...PLANS)),
          name: fc.constantFrom(...NAMES),
          via: arbVia,
        },
        { requiredKeys: ['kind', 'k', 'via'] },
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('tags' as const),
        k: arbK,
        add: arbTags,
        remove: arbTags,
        via: arbVia,
      }),
    },
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('event' as const),
        k: fc.integer({ min: 0, max: CONTACTS }), // CONTACTS: a contact that never exists
        id: fc.integer({ min: 0, max: 1_000_000 }),
        agoMs: arbEventAgo(t),
        event: arbEvent(t),
        via: arbVia,
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('replay' as const), n: fc.nat(), via: arbVia }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('deleteContact' as const), k: arbK, via: arbVia }),
    },
    {
      weight: 4,
      arbitrary: arbSlot.chain((slot) =>
        fc.record({
          kind: fc.constant('createSegment' as const),
          slot: fc.constant(slot),
          rule: arbRule(slot, t),
          via: arbVia,
        }),
      ),
    },
    {
      weight: 2,
      arbitrary: arbSlot.chain((slot) =>
        fc.record({
          kind: fc.constant('editSegment' as const),
          slot: fc.constant(slot),
          rule: arbRule(slot, t),
          via: arbVia,
        }),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('deleteSegment' as const), slot: arbSlot, via: arbVia }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('createList' as const), slot: arbListSlot, via: arbVia }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constantFrom('listAdd' as const, 'listRemove' as const),
        slot: arbListSlot,
        k: arbK,
        via: arbVia,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('deleteList' as const), slot: arbListSlot, via: arbVia }),
    },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: arbAdvance(t) }) },
  );

/**
 * A sequence of `minLength`..`maxLength` operations (uniformly, not fast-check's usual bias to
 * short arrays: short sequences rarely get a contact into a segment). `restartRate` is the share
 * of operations that restart a process (each costs about a second).
 */
export function arbSequence(opts: {
  minLength: number;
  maxLength: number;
  restartRate: number;
}): fc.Arbitrary<Op[]> {
  const restart = fc.record({ kind: fc.constant('restart' as const), which: arbVia });
  const weight = Math.round(1 / Math.max(opts.restartRate, 1e-6));
  return arbTheme.chain((t) => {
    const op =
      opts.restartRate > 0
        ? fc.oneof({ weight, arbitrary: arbOp(t) }, { weight: 1, arbitrary: restart })
        : arbOp(t);
    return fc.array(op, { minLength: opts.minLength, maxLength: opts.maxLength, size: 'max' });
  });
}
