/**
 * The delivery crash harness (issue 25): the real server (`node dist/src/main.js`) as a child
 * process on the shared test database, a local Bot Framework channel in this process that counts
 * every message per conversation (one conversation per recipient), and SIGKILLs at random points
 * of a campaign or a welcome flow: the channel kills the server from inside its request handler
 * when its count reaches the next threshold, so the kill lands mid-wave. After each kill the
 * records the dead process left undecided (campaign deliveries `sending`, flow step records
 * `started`) are counted: they are what was in flight, and what may end `unknown`.
 *
 * Used by test/e2e/delivery-crash.test.ts (3 kills, 300 recipients) and, with CRASHTEST=long,
 * by `npm run crashtest` (20 kills, 2,000 recipients at 200 and at 5 messages/s, 1,000 contacts
 * in the 3-step welcome flow).
 */
import { MongoClient, type Db } from 'mongodb';
import { TestChannel, type WireActivity } from '../../bot/cli/channel';
import { Rng } from '../../src/util/rng';
import { seedRecipients, type Recipient } from './campaignFixture';
import { testServerUri } from './db';
import { startMain, type Started } from './processes';

export const KEY = 'crash-harness-key-0123456789';
const WS = 'default';

export interface Kill {
  /** Messages the channel had received when it killed the server. */
  atMessage: number;
  /**
   * Records this kill left undecided (`sending` deliveries or `started` step records), not
   * counting those an earlier kill left that were still undecided.
   */
  inFlight: number;
}

export interface Figures {
  name: string;
  recipients: number;
  kills: Kill[];
  /** Σ in flight at the kills. */
  inFlight: number;
  unknown: number;
  /** `unknown` records whose message the channel never received (claimed, not delivered). */
  unknownNotReceived: number;
  duplicates: number;
  /** Recipients (per step) with no message whose record does not say why. */
  neverSentWithoutReason: number;
  byStatus: Record<string, number>;
  seconds: number;
}

export function describeFigures(f: Figures): string {
  const kills = f.kills.map((k) => `${k.inFlight}@${k.atMessage}`).join(' ');
  return (
    `${f.name}: ${f.recipients} recipients, ${f.kills.length} kills (in flight@message: ${kills}); ` +
    `in flight at kills ${f.inFlight}, unknown ${f.unknown} (of which never received ` +
    `${f.unknownNotReceived}), duplicates ${f.duplicates}, never-sent-without-reason ` +
    `${f.neverSentWithoutReason}; statuses ${JSON.stringify(f.byStatus)}; ${f.seconds.toFixed(1)} s`
  );
}

export class CrashHarness {
  readonly running: Started[] = [];
  channel!: TestChannel;
  client!: MongoClient;
  db!: Db;
  private thresholds: number[] = [];
  private onKill: (() => void) | undefined;
  private current: Started | undefined;

  constructor(
    readonly dbName: string,
    private readonly extraEnv: Record<string, string> = {},
  ) {}

  async open(): Promise<void> {
    this.channel = await TestChannel.start();
    this.client = await MongoClient.connect(testServerUri());
    this.db = this.client.db(this.dbName);
    this.channel.onActivity(() => this.maybeKill());
  }

  async close(): Promise<void> {
    for (const s of this.running) s.child.kill('SIGKILL');
    await Promise.all(this.running.map((s) => s.exited));
    await this.channel?.close();
    await this.db?.dropDatabase().catch(() => undefined);
    await this.client?.close();
  }

  env(): Record<string, string> {
    return {
      DB_ENGINE: 'uri',
      MONGODB_URI: testServerUri(),
      DB_NAME: this.dbName,
      PORT: '0',
      ADMIN_API_KEY: KEY,
      AGENDA_PROCESS_EVERY_MS: '200',
      CAMPAIGN_LOCK_MS: '1000',
      FLOW_LOCK_MS: '1000',
      SHUTDOWN_TIMEOUT_MS: '10000',
      // The welcome flow sends all of its steps (by default the bot's greeting replaces the first).
      BOT_WELCOME: 'flow',
      ...this.extraEnv,
    };
  }

  async start(): Promise<Started> {
    const s = await startMain(this.env());
    this.running.push(s);
    this.current = s;
    return s;
  }

  async api(method: string, path: string, body?: unknown): Promise<Record<string, any>> {
    const port = this.current?.port;
    if (!port) throw new Error('no server running');
    const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return (text ? JSON.parse(text) : {}) as Record<string, any>;
  }

  /**
   * Kills the server `kills` times, each when the channel's count reaches a random threshold in
   * (from, upto); after each kill counts the new ids `undecided` finds, and starts a new server.
   */
  async killAtRandom(
    kills: number,
    from: number,
    upto: number,
    seed: number,
    undecided: () => Promise<string[]>,
  ): Promise<Kill[]> {
    const seen = new Set<string>();
    const rng = new Rng(seed);
    const points = new Set<number>();
    while (points.size < kills) points.add(from + 1 + rng.int(Math.max(1, upto - from - 1)));
    this.thresholds = [...points].sort((a, b) => a - b);
    const out: Kill[] = [];
    for (let k = 0; k < kills; k++) {
      const victim = this.current!;
      const killed = new Promise<void>((resolve) => (this.onKill = resolve));
      await killed;
      const atMessage = this.channel.received.length;
      await victim.exited;
      const fresh = (await undecided()).filter((id) => !seen.has(id));
      for (const id of fresh) seen.add(id);
      out.push({ atMessage, inFlight: fresh.length });
      await this.start();
    }
    return out;
  }

  private maybeKill(): void {
    const next = this.thresholds[0];
    if (next === undefined || this.channel.received.length < next || !this.onKill) return;
    this.thresholds.shift();
    this.current?.child.kill('SIGKILL');
    const done = this.onKill;
    this.onKill = undefined;
    done();
  }

  /** Contacts with conversation references on this channel, one conversation each. */
  seed(n: number, segmentIds: string[], prefix: string, why = false): Promise<Recipient[]> {
    return seedRecipients(this.db, WS, n, {
      prefix,
      segmentIds,
      serviceUrl: this.channel.serviceUrl,
      // A few who must not be messaged, so "no message unless the record says why" is tested.
      ...(why ? { optedOut: (i: number) => i % 41 === 7, noRef: (i: number) => i % 53 === 11 } : {}),
    });
  }

  /** How many messages each conversation received whose text matches `pattern`. */
  counts(pattern?: RegExp): Map<string, number> {
    const out = new Map<string, number>();
    for (const a of this.channel.received) {
      if (pattern && !pattern.test(a.text ?? '')) continue;
      const id = a.conversation?.id ?? '';
      out.set(id, (out.get(id) ?? 0) + 1);
    }
    return out;
  }

  received(filter: (a: WireActivity) => boolean): number {
    return this.channel.received.filter(filter).length;
  }
}

export async function until(cond: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function tally(statuses: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

interface DeliveryDoc {
  _id: string;
  contactId: string;
  status: string;
  reason?: string;
}

/**
 * A campaign to `recipients` (a few opted out or without a reference) at `rate`, the server
 * SIGKILLed `kills` times at random points, then left to finish. Figures from the records and
 * the channel's own count.
 */
export async function campaignUnderKills(
  h: CrashHarness,
  o: { name: string; recipients: number; rate: number; kills: number; seed: number },
): Promise<{ figures: Figures; records: DeliveryDoc[]; people: Recipient[] }> {
  const t0 = Date.now();
  await h.start();
  const list = (await h.api('POST', '/segments', { name: `${o.name} list`, type: 'static' }))._id as string;
  const people = await h.seed(o.recipients, [list], `${o.name.replace(/\W/g, '')}-`, true);
  const convs = new Set(people.map((p) => p.conversationId));
  const mine = (a: WireActivity) => convs.has(a.conversation?.id ?? '');
  const c = await h.api('POST', '/campaigns', {
    name: o.name,
    audience: { segment: list },
    template: { text: 'Hello {{contact.name}}' },
    ratePerSecond: o.rate,
  });
  const id = c._id as string;
  const before = h.received(() => true);
  await h.api('POST', `/campaigns/${id}/start`);
  const deliveries = h.db.collection<DeliveryDoc>('campaign_deliveries');
  const sending = async () =>
    (await deliveries.find({ campaignId: id, status: 'sending' }, { projection: { _id: 1 } }).toArray()).map(
      (d) => d._id,
    );
  const expected = Math.floor(o.recipients * 0.9);
  const kills = await h.killAtRandom(o.kills, before, before + expected, o.seed, sending);
  await until(
    async () => (await h.api('GET', `/campaigns/${id}`)).status === 'completed',
    Math.max(120_000, (o.recipients / o.rate) * 2000),
    `campaign ${o.name} to complete`,
  );
  const records = await deliveries.find({ campaignId: id }).toArray();
  const got = h.counts();
  const conv = new Map(people.map((p) => [p.contactId, p.conversationId]));
  const n = (r: DeliveryDoc) => got.get(conv.get(r.contactId) ?? '') ?? 0;
  const unknown = records.filter((r) => r.status === 'unknown');
  const figures: Figures = {
    name: o.name,
    recipients: o.recipients,
    kills,
    inFlight: kills.reduce((s, k) => s + k.inFlight, 0),
    unknown: unknown.length,
    unknownNotReceived: unknown.filter((r) => n(r) === 0).length,
    duplicates: people.filter((p) => (got.get(p.conversationId) ?? 0) > 1).length,
    neverSentWithoutReason: records.filter((r) => n(r) === 0 && (r.status === 'sent' || !r.reason)).length,
    byStatus: tally(records.map((r) => r.status)),
    seconds: (Date.now() - t0) / 1000,
  };
  expectNoStray(h, mine);
  return { figures, records, people };
}

/** Every message the channel received went to one of this scenario's recipients. */
function expectNoStray(h: CrashHarness, mine: (a: WireActivity) => boolean): void {
  const stray = h.channel.received.filter((a) => !mine(a));
  if (stray.length) throw new Error(`${stray.length} messages to conversations outside the scenario`);
}

interface StepDoc {
  _id: string;
  contactId: string;
  action: string;
  params: string;
  status: string;
  detail?: string;
}

export const WELCOME_STEPS = [
  { template: 'welcome-1', text: /^Welcome, / },
  { template: 'welcome-2', text: /^Tip of the day/ },
  { template: 'welcome-3', text: /^One last thing/ },
] as const;

/**
 * `contacts` new contacts (a few opted out or without a reference) enter "New This Week" at once;
 * each runs the 3-step welcome flow (1 day scaled to `dayMs`) while the server is SIGKILLed
 * `kills` times at random points of its 3 × `contacts` messages.
 */
export async function welcomeFlowUnderKills(
  h: CrashHarness,
  o: { contacts: number; kills: number; seed: number },
): Promise<{ figures: Figures; steps: StepDoc[] }> {
  const t0 = Date.now();
  await h.start();
  const people = await h.seed(o.contacts, [], 'flow-', true);
  const convs = new Set(people.map((p) => p.conversationId));
  const before = h.received(() => true);
  // Entering the segment (its first build) starts one welcome flow per contact.
  const seg = await h.api('POST', '/segments', {
    name: 'New This Week',
    rule: 'createdAt within last 7 days',
  });
  if (seg.name !== 'New This Week') throw new Error(`segment not created: ${JSON.stringify(seg)}`);
  const steps = h.db.collection<StepDoc>('flow_steps');
  const started = async () =>
    (await steps.find({ status: 'started' }, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
  const expected = Math.floor(o.contacts * 3 * 0.85);
  const kills = await h.killAtRandom(o.kills, before, before + expected, o.seed, started);
  const instances = h.db.collection<{ status: string }>('flow_instances');
  await until(
    async () =>
      (await instances.countDocuments({})) >= o.contacts &&
      (await instances.countDocuments({ status: { $in: ['pending', 'running', 'dwelling'] } })) === 0,
    600_000,
    'every welcome flow to finish',
  );
  const all = await steps.find({ action: 'sendMessage' }).toArray();
  let duplicates = 0;
  let neverSentWithoutReason = 0;
  let unknownNotReceived = 0;
  const perStep = WELCOME_STEPS.map((s) => ({ ...s, got: h.counts(s.text) }));
  const byKey = new Map(all.map((r) => [`${r.contactId}|${JSON.parse(r.params).template as string}`, r]));
  for (const p of people)
    for (const s of perStep) {
      const n = s.got.get(p.conversationId) ?? 0;
      const rec = byKey.get(`${p.contactId}|${s.template}`);
      if (n > 1) duplicates++;
      // No message: the step's record must say why (skipped, failed, unknown), or the flow must
      // have ended before the step (no record: then the earlier step's record says why).
      if (n === 0 && rec && (rec.status === 'sent' || !rec.detail)) neverSentWithoutReason++;
      if (n === 0 && !rec && !explainedEarlier(byKey, p.contactId, s.template)) neverSentWithoutReason++;
      if (rec?.status === 'unknown' && n === 0) unknownNotReceived++;
    }
  const unknown = all.filter((r) => r.status === 'unknown').length;
  const figures: Figures = {
    name: 'welcome flow',
    recipients: o.contacts,
    kills,
    inFlight: kills.reduce((s, k) => s + k.inFlight, 0),
    unknown,
    unknownNotReceived,
    duplicates,
    neverSentWithoutReason,
    byStatus: tally(all.map((r) => r.status)),
    seconds: (Date.now() - t0) / 1000,
  };
  expectNoStray(h, (a) => convs.has(a.conversation?.id ?? ''));
  return { figures, steps: all };
}

/** A later step without a record is explained when an earlier step's record ended the flow. */
function explainedEarlier(byKey: Map<string, StepDoc>, contactId: string, template: string): boolean {
  const i = WELCOME_STEPS.findIndex((s) => s.template === template);
  return WELCOME_STEPS.slice(0, i).some((s) => {
    const r = byKey.get(`${contactId}|${s.template}`);
    return r !== undefined && r.status !== 'sent' && Boolean(r.detail);
  });
}
