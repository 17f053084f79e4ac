/**
 * One simulated sequence: each operation is applied to the model and to the product, the product
 * is settled, and then memberships and the new part of the transitions feed must equal the
 * model's: same contacts in the same segments, and per contact and segment the same transitions
 * (kind and cause) in the same order, each `at` within LAG_MS of the model's instant. A clock
 * advance stops at every instant the model says something flips and every recheck instant the
 * product has scheduled, and checks memberships at each. The sequence ends with the reports:
 * every segment `fresh`, every member list equal through the API.
 */
import type { Rule } from '../../src/rules/ast';
import { applyEvent, type ModelContact, type SimEvent } from './model/contact';
import { referencesOf } from './model/rules';
import { World, type Expected } from './model/world';
import type { ContactFields, Op } from './ops';
import type { Driver, FeedItem } from './product';

/** The lag the product states for membership (a time-driven change at most 5 s late). */
export const LAG_MS = 5_000;
const MAX_STOPS = 500;

export class Mismatch extends Error {}

/** What the sequences exercised (printed after a run, to see that the generator reaches things). */
export const stats = {
  applied: new Map<string, number>(),
  skipped: new Map<string, number>(),
  transitions: new Map<string, number>(),
  stops: 0,
  ms: new Map<string, number>(),
};

/** Adds the time `fn` takes to `stats.ms[what]`. */
export async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const t = Date.now();
  try {
    return await fn();
  } finally {
    bump(stats.ms, what, Date.now() - t);
  }
}
const bump = (m: Map<string, number>, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);

export function formatStats(): string {
  const show = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  return (
    `applied: ${show(stats.applied)}\nskipped: ${show(stats.skipped)}\n` +
    `transitions checked: ${show(stats.transitions)}\nclock stops: ${stats.stops}\nms: ${show(stats.ms)}`
  );
}

/** The `i`-th (modulo) of the slots that hold something, or undefined when none does. */
function nth<T>(slots: (T | undefined)[], i: number): T | undefined {
  const full = slots.filter((x): x is T => x !== undefined);
  return full.length === 0 ? undefined : full[i % full.length];
}

/** An operation on an empty slot: nothing sent, nothing expected. */
const SKIPPED: Expected[] = [];

const iso = (ms: number) => new Date(ms).toISOString();

/** Fills in the day offsets (`@-3`) of absolute dates, from the sequence's start. */
function render(rule: Rule, start: number): Rule {
  if (rule.kind === 'group') return { ...rule, children: rule.children.map((c) => render(c, start)) };
  const v = rule.value;
  if (typeof v === 'string' && v.startsWith('@day:')) {
    const day = new Date(start + Number(v.slice('@day:'.length)) * 86_400_000).toISOString().slice(0, 10);
    return { ...rule, value: day };
  }
  return rule;
}

function eventData(e: SimEvent): Record<string, unknown> | undefined {
  switch (e.type) {
    case 'purchase':
      return { amount: e.amount, currency: 'EUR' };
    case 'refund':
      return { amount: e.amount };
    case 'conversation':
      return undefined;
    case 'ticket.opened':
    case 'ticket.closed':
      return { ticketId: e.ticketId };
    case 'deal.opened':
      return { dealId: e.dealId };
    case 'deal.closed':
      return { dealId: e.dealId, won: e.won };
    case 'lead_score.set':
      return { score: e.score };
  }
}

const dedupe = (tags: string[]) => {
  const seen = new Set<string>();
  return tags.filter((t) => !seen.has(t.toLowerCase()) && seen.add(t.toLowerCase()));
};

export class Sequence {
  private readonly world: World;
  private readonly start: number;
  /** Model id ↔ product id, for segments/lists and contacts (kept after deletes: the feed names them). */
  private readonly segIds = new Map<string, string>();
  private readonly segSim = new Map<string, string>();
  private readonly contactKey = new Map<string, string>();
  private readonly sent: { body: Record<string, unknown>; k: number; event: SimEvent; at: number }[] = [];
  private cursor = 0;
  readonly log: string[] = [];

  constructor(private readonly p: Driver) {
    this.start = p.clock.now().getTime();
    this.world = new World(this.start);
  }

  async init(): Promise<void> {
    // Positions are global: begin after everything dispatched so far (the last sequence settled).
    this.cursor = await this.p.dispatched();
  }

  private get now(): number {
    return this.p.clock.now().getTime();
  }

  private fail(message: string): never {
    throw new Mismatch(`${message}\n--- steps so far:\n${this.log.join('\n')}`);
  }

  private expectStatus(what: string, got: { status: number; body: unknown }, ok: boolean): void {
    if (this.p.dry) return;
    const good = got.status >= 200 && got.status < 300;
    if (good !== ok)
      this.fail(
        `${what}: expected ${ok ? 'success' : 'refusal'}, got ${got.status} ${JSON.stringify(got.body)}`,
      );
    if (!ok && got.status >= 500)
      this.fail(`${what}: server error ${got.status} ${JSON.stringify(got.body)}`);
  }

  async run(op: Op): Promise<void> {
    this.log.push(JSON.stringify(op));
    if (op.kind === 'advance') return this.advance(op.ms);
    if (op.kind === 'restart') {
      await timed('restart', () => this.p.restart(op.which));
      await this.p.settle();
      return this.compare([]);
    }
    const expected = await timed(`apply ${op.kind}`, () => this.apply(op));
    bump(expected === SKIPPED ? stats.skipped : stats.applied, op.kind);
    if (expected === SKIPPED) return; // nothing was sent
    await timed('settle', () => this.p.settle());
    await timed('compare', () => this.compare(expected));
  }

  /** Applies one operation to both sides; returns the model's transitions for it. */
  private async apply(op: Exclude<Op, { kind: 'advance' | 'restart' }>): Promise<Expected[]> {
    const expected = await this.applyBoth(op);
    return expected;
  }

  private async applyBoth(op: Exclude<Op, { kind: 'advance' | 'restart' }>): Promise<Expected[]> {
    const w = this.world;
    const now = this.now;
    w.now = now;
    // An event names its contact by slot (it may not exist: the event is then refused); other
    // operations take the k-th contact that exists, and are skipped only when there is none.
    const existing = [...w.contacts.keys()].sort();
    const key =
      op.kind === 'event' || op.kind === 'upsert'
        ? `c${op.k}`
        : 'k' in op && existing.length > 0
          ? existing[op.k % existing.length]!
          : '';
    const contact = w.contacts.get(key);
    switch (op.kind) {
      case 'upsert':
        return this.upsert(op.via, key, op.bulk, op.fields);
      case 'patch': {
        if (!contact) return SKIPPED;
        const body: Record<string, unknown> = {};
        if (op.tags) body.tags = op.tags;
        if (op.plan !== undefined) body.custom = { plan: op.plan };
        if (op.name !== undefined) body.name = op.name;
        if (Object.keys(body).length === 0) return SKIPPED;
        this.expectStatus('patch', await this.p.call(op.via, 'PATCH', `/contacts/${contact.id}`, body), true);
        if (op.tags) contact.tags = dedupe(op.tags);
        if (op.plan !== undefined) contact.plan = op.plan ?? undefined;
        if (op.name !== undefined) contact.name = op.name;
        return w.settle(now, 'contact', key);
      }
      case 'tags': {
        if (!contact) return SKIPPED;
        const r = await this.p.call(op.via, 'POST', `/contacts/${contact.id}/tags`, {
          add: op.add,
          remove: op.remove,
        });
        this.expectStatus('tags', r, true);
        const gone = new Set(op.remove.map((t) => t.toLowerCase()));
        contact.tags = dedupe([...contact.tags, ...op.add]).filter((t) => !gone.has(t.toLowerCase()));
        return w.settle(now, 'contact', key);
      }
      case 'event': {
        const body: Record<string, unknown> = {
          eventId: `e${op.id}`,
          type: op.event.type,
          externalId: `c${op.k}`,
          at: iso(now - op.agoMs),
        };
        const data = eventData(op.event);
        if (data) body.data = data;
        this.sent.push({ body, k: op.k, event: op.event, at: now - op.agoMs });
        return this.event(op.via, body, op.k, op.event, now - op.agoMs);
      }
      case 'replay': {
        if (this.sent.length === 0) return SKIPPED;
        const e = this.sent[op.n % this.sent.length]!;
        return this.event(op.via, e.body, e.k, e.event, e.at);
      }
      case 'deleteContact': {
        if (!contact) return SKIPPED;
        const r = await this.p.call(op.via, 'DELETE', `/contacts/${contact.id}`);
        this.expectStatus('delete contact', r, true);
        return w.remove(key, 'contact');
      }
      case 'createSegment': {
        if (w.segments[op.slot]) return SKIPPED;
        const rule = render(op.rule, this.start);
        const ok = referencesOf(rule).every((n) => w.byName(n) !== undefined);
        const name = `S${op.slot}`;
        const r = await this.p.call(op.via, 'POST', '/segments', { name, rule });
        this.expectStatus(`create ${name}`, r, ok);
        if (!ok) return [];
        const simId = w.newSimId('S', op.slot);
        this.map(simId, r.body._id as string);
        w.segments[op.slot] = { simId, name, rule };
        return w.settle(now, 'definition');
      }
      case 'editSegment': {
        const s = nth(w.segments, op.slot);
        if (!s) return SKIPPED;
        const rule = render(op.rule, this.start);
        // Refused: a segment it names does not exist, or one it names depends on it (a cycle).
        const refs = referencesOf(rule);
        const ok = refs.every((n) => w.byName(n) !== undefined && !w.dependsOn(n, s.name));
        const r = await this.p.call(op.via, 'PATCH', `/segments/${this.segIds.get(s.simId)}`, { rule });
        this.expectStatus(`edit ${s.name}`, r, ok);
        if (!ok) return [];
        s.rule = rule;
        return w.settle(now, 'definition');
      }
      case 'deleteSegment':
      case 'deleteList': {
        const list: ({ simId: string; name: string } | undefined)[] =
          op.kind === 'deleteSegment' ? w.segments : w.lists;
        const s = nth(list, op.slot);
        if (!s) return SKIPPED;
        const ok = w.dependents(s.name).length === 0;
        const r = await this.p.call(op.via, 'DELETE', `/segments/${this.segIds.get(s.simId)}`);
        this.expectStatus(`delete ${s.name}`, r, ok);
        if (!ok) return [];
        list[list.indexOf(s)] = undefined;
        return w.settle(now, 'definition');
      }
      case 'createList': {
        if (w.lists[op.slot]) return SKIPPED;
        const name = `L${op.slot}`;
        const r = await this.p.call(op.via, 'POST', '/segments', { name, type: 'static' });
        this.expectStatus(`create ${name}`, r, true);
        const simId = w.newSimId('L', op.slot);
        this.map(simId, r.body._id as string);
        w.lists[op.slot] = { simId, name, members: new Set() };
        return [];
      }
      case 'listAdd':
      case 'listRemove': {
        const l = nth(w.lists, op.slot);
        if (!l || !contact) return SKIPPED;
        const id = this.segIds.get(l.simId)!;
        const r =
          op.kind === 'listAdd'
            ? await this.p.call(op.via, 'POST', `/segments/${id}/members`, { contactIds: [contact.id] })
            : await this.p.call(op.via, 'DELETE', `/segments/${id}/members/${contact.id}`);
        this.expectStatus(op.kind, r, true);
        if (op.kind === 'listAdd') l.members.add(key);
        else l.members.delete(key);
        return w.settle(now, 'manual', key);
      }
    }
  }

  private map(simId: string, productId: string): void {
    this.segIds.set(simId, productId);
    this.segSim.set(productId, simId);
  }

  private async upsert(via: 0 | 1, key: string, bulk: boolean, f: ContactFields): Promise<Expected[]> {
    const w = this.world;
    const now = this.now;
    const body: Record<string, unknown> = { externalId: key };
    if (f.name !== undefined) body.name = f.name;
    if (f.email !== undefined) body.email = `${key}@${f.email}`;
    if (f.tags !== undefined) body.tags = f.tags;
    if (f.plan !== undefined) body.custom = { plan: f.plan };
    if (f.createdAgoMs !== undefined) body.createdAt = iso(now - f.createdAgoMs);
    if (f.lastPurchaseAgoMs !== undefined) body.lastPurchaseAt = iso(now - f.lastPurchaseAgoMs);
    if (f.lastConversationAgoMs !== undefined) body.lastConversationAt = iso(now - f.lastConversationAgoMs);
    if (f.supportTickets !== undefined) body.supportTickets = f.supportTickets;
    if (f.lifetimeValue !== undefined) body.lifetimeValue = f.lifetimeValue;
    if (f.leadScore !== undefined) body.leadScore = f.leadScore;
    const r = bulk
      ? await this.p.call(via, 'POST', '/contacts/import', [body])
      : await this.p.call(via, 'POST', '/contacts', body);
    this.expectStatus('upsert', r, true);
    const id = (bulk ? r.body.results?.[0]?.id : r.body._id) as string | undefined;
    if (!id) this.fail(`upsert: no id in ${JSON.stringify(r.body)}`);
    this.contactKey.set(id, key);
    const existing = w.contacts.get(key);
    if (existing) {
      if (existing.id !== id && !this.p.dry)
        this.fail(`upsert of ${key} answered another contact: ${id} for ${existing.id}`);
      if (f.name !== undefined) existing.name = f.name;
      if (f.email !== undefined) existing.email = `${key}@${f.email}`.toLowerCase();
      if (f.tags !== undefined) existing.tags = dedupe([...existing.tags, ...f.tags]);
      if (f.plan !== undefined) existing.plan = f.plan;
      if (f.createdAgoMs !== undefined)
        existing.createdAt = Math.min(existing.createdAt, now - f.createdAgoMs);
      if (f.leadScore !== undefined) {
        existing.leadScore = f.leadScore;
        existing.leadScoreAt = now;
      }
    } else {
      const c: ModelContact = {
        key,
        id,
        name: f.name ?? '',
        ...(f.email !== undefined ? { email: `${key}@${f.email}`.toLowerCase() } : {}),
        tags: dedupe(f.tags ?? []),
        ...(f.plan !== undefined ? { plan: f.plan } : {}),
        createdAt: f.createdAgoMs !== undefined ? now - f.createdAgoMs : now,
        lifetimeValue: f.lifetimeValue ?? 0,
        purchaseCount: 0,
        conversationCount: 0,
        ...(f.lastPurchaseAgoMs !== undefined ? { lastPurchaseAt: now - f.lastPurchaseAgoMs } : {}),
        ...(f.lastConversationAgoMs !== undefined
          ? { lastConversationAt: now - f.lastConversationAgoMs }
          : {}),
        ...(f.leadScore !== undefined ? { leadScore: f.leadScore, leadScoreAt: now } : {}),
        tickets: new Map(),
        deals: new Map(),
        baseTickets: f.supportTickets ?? 0,
        baseTotalTickets: 0,
        baseDeals: 0,
      };
      w.contacts.set(key, c);
    }
    return w.settle(now, 'contact', key);
  }

  private async event(
    via: 0 | 1,
    body: Record<string, unknown>,
    k: number,
    event: SimEvent,
    at: number,
  ): Promise<Expected[]> {
    const w = this.world;
    const key = `c${k}`;
    const contact = w.contacts.get(key);
    const eventId = body.eventId as string;
    const r = await this.p.call(via, 'POST', '/events', [body]);
    this.expectStatus('event', r, true);
    const status = r.body.results?.[0]?.status as string;
    const want = !contact ? 'invalid' : w.eventIds.has(eventId) ? 'duplicate' : 'applied';
    if (status !== want && !this.p.dry)
      this.fail(`event ${eventId}: expected ${want}, got ${JSON.stringify(r.body.results)}`);
    if (want !== 'applied') return [];
    w.eventIds.add(eventId);
    applyEvent(contact!, event, at);
    return w.settle(this.now, 'event', key);
  }

  /** Moves time to now + ms, stopping where the model or the product expects a change. */
  private async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    const expected: Expected[] = [];
    for (let stops = 0; ; stops++) {
      if (stops > MAX_STOPS) this.fail(`more than ${MAX_STOPS} stops in one advance: a recheck storm?`);
      const modelNext = this.world.nextChange(target);
      const productNext = await this.p.nextRecheck();
      const t = Math.min(modelNext ?? target, productNext ?? target, target);
      expected.push(...this.world.advanceTo(t));
      stats.stops++;
      this.p.clock.set(new Date(t));
      await timed('settle at stop', () => this.p.settle());
      await timed('compare at stop', () => this.compareMembers(`at ${iso(t)}`));
      if (t === target) break;
    }
    await this.compareFeed(expected);
  }

  async compare(expected: Expected[]): Promise<void> {
    await Promise.all([this.compareMembers('after the step'), this.compareFeed(expected)]);
  }

  private async compareMembers(when: string): Promise<void> {
    if (this.p.dry) return;
    const got = await this.p.memberships();
    const lines: string[] = [];
    const seen = new Set<string>();
    for (const [id, c] of got) {
      const key = c.externalId ?? `?${id}`;
      seen.add(key);
      const want = this.world.member.get(key);
      if (!want) {
        lines.push(`${key} exists in the product only`);
        continue;
      }
      const have = new Set([...c.segments].map((s) => this.segSim.get(s) ?? `?${s}`));
      const missing = [...want].filter((s) => !have.has(s));
      const extra = [...have].filter((s) => !want.has(s));
      if (missing.length || extra.length)
        lines.push(`${key}: missing ${JSON.stringify(missing)}, extra ${JSON.stringify(extra)}`);
    }
    for (const key of this.world.contacts.keys())
      if (!seen.has(key)) lines.push(`${key} exists in the model only`);
    if (lines.length) this.fail(`memberships differ ${when}:\n  ${lines.join('\n  ')}`);
  }

  private async compareFeed(expected: Expected[]): Promise<void> {
    for (const e of expected) bump(stats.transitions, `${e.kind}/${e.cause}`);
    if (this.p.dry) return;
    const { items, cursor } = await this.p.feed(this.cursor);
    this.cursor = cursor;
    const key = (contact: string, segment: string) => `${contact} ${segment}`;
    const got = new Map<string, FeedItem[]>();
    for (const t of items) {
      const k = key(
        this.contactKey.get(t.contactId) ?? `?${t.contactId}`,
        this.segSim.get(t.segmentId) ?? `?${t.segmentId}`,
      );
      got.set(k, [...(got.get(k) ?? []), t]);
    }
    const want = new Map<string, Expected[]>();
    for (const e of expected) {
      const k = key(e.contact, e.segment);
      want.set(k, [...(want.get(k) ?? []), e]);
    }
    const lines: string[] = [];
    for (const k of new Set([...got.keys(), ...want.keys()])) {
      const g = (got.get(k) ?? []).sort((a, b) => a.seq - b.seq);
      const e = (want.get(k) ?? []).sort((a, b) => a.at - b.at);
      const show = (x: { kind: string; cause: string; at: string | number }) =>
        `${x.kind}/${x.cause}@${typeof x.at === 'number' ? iso(x.at) : x.at}`;
      const same =
        g.length === e.length &&
        g.every(
          (t, i) =>
            t.kind === e[i]!.kind &&
            t.cause === e[i]!.cause &&
            Math.abs(Date.parse(t.at) - e[i]!.at) <= LAG_MS,
        );
      if (!same) lines.push(`${k}: product [${g.map(show).join(', ')}], model [${e.map(show).join(', ')}]`);
    }
    if (lines.length) this.fail(`transitions differ:\n  ${lines.join('\n  ')}`);
  }

  /** The end of a sequence: reports and member lists through the API agree with the model. */
  async finish(): Promise<void> {
    if (this.p.dry) return;
    const r = await this.p.call(0, 'GET', '/reports/segments?maxAge=0');
    if (r.status !== 200) this.fail(`reports: ${r.status}`);
    for (const s of r.body.segments as {
      id: string;
      name: string;
      freshness: { state: string; reasons?: string[] };
    }[])
      if (s.freshness.state !== 'fresh')
        this.fail(`report: ${s.name} is ${s.freshness.state} (${(s.freshness.reasons ?? []).join('; ')})`);
    for (const s of [...this.world.segments, ...this.world.lists]) {
      if (!s) continue;
      const m = await this.p.call(1, 'GET', `/segments/${this.segIds.get(s.simId)}/members?limit=200`);
      const have = new Set((m.body.items as { externalId?: string }[]).map((i) => i.externalId));
      const want = new Set([...this.world.member].filter(([, set]) => set.has(s.simId)).map(([key]) => key));
      if (have.size !== want.size || [...want].some((k) => !have.has(k)))
        this.fail(
          `members of ${s.name} through the API: ${JSON.stringify([...have])}, model ${JSON.stringify([...want])}`,
        );
    }
  }
}
