/**
 * The product as the simulation drives it: the real app (everything startApp assembles), twice on
 * one database as two "processes" sharing the work, on one manual clock. Requests go through the
 * REST API of either app. `settle` is the time-skipping step: it runs the same loop bodies the
 * apps' background loops run (rebuilds, sweeper, dispatcher), in both apps, until nothing is
 * left to do at the current instant, so a step costs milliseconds instead of loop intervals. The
 * background loops keep running too, so the two processes also race each other for real.
 */
import type { App } from '../../src/app';
import { startTestApp, TEST_API_KEY } from '../support/app';
import { ManualClock } from '../support/manualClock';

export interface FeedItem {
  contactId: string;
  segmentId: string;
  kind: 'entered' | 'exited';
  at: string;
  cause: string;
  seq: number;
  position: number;
}

export interface Reply {
  status: number;
  body: any;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a sequence needs of the product (Product, or DryProduct for the model alone). */
export interface Driver {
  readonly dry: boolean;
  readonly clock: ManualClock;
  open(): Promise<void>;
  close(): Promise<void>;
  restart(i: 0 | 1): Promise<void>;
  newWorkspace(): Promise<string>;
  dropWorkspaceData(): Promise<void>;
  call(via: 0 | 1, method: string, path: string, body?: unknown): Promise<Reply>;
  settle(): Promise<void>;
  dispatched(): Promise<number>;
  nextRecheck(): Promise<number | null>;
  memberships(): Promise<Map<string, { externalId?: string; segments: Set<string> }>>;
  feed(cursor: number): Promise<{ items: FeedItem[]; cursor: number }>;
}

export class Product implements Driver {
  readonly dry = false;
  readonly clock = new ManualClock(Date.parse('2031-01-01T00:00:00.000Z'));
  private apps: (App | undefined)[] = [undefined, undefined];
  private key = TEST_API_KEY;
  private workspace = '';
  private workspaces = 0;

  constructor(private readonly name: string) {}

  private start(): Promise<App> {
    return startTestApp(this.name, { ADMIN_API_KEY: TEST_API_KEY }, { clock: this.clock.now });
  }

  async open(): Promise<void> {
    this.apps = [await this.start(), await this.start()];
  }

  private app(i: 0 | 1): App {
    const a = this.apps[i];
    if (!a) throw new Error(`app ${i} is not running`);
    return a;
  }

  private get live(): App[] {
    return this.apps.filter((a): a is App => a !== undefined);
  }

  get db() {
    return this.app(0).conn.db!;
  }

  /** Stops one process (gracefully: what it was doing finishes) and starts a new one in its place. */
  async restart(i: 0 | 1): Promise<void> {
    const old = this.apps[i];
    this.apps[i] = undefined;
    await old?.stop();
    this.apps[i] = await this.start();
  }

  async close(): Promise<void> {
    const db = this.live[0]?.conn.db;
    await db?.dropDatabase().catch(() => undefined);
    for (const a of this.live) await a.stop();
    this.apps = [undefined, undefined];
  }

  /** A fresh workspace (and its key) for the next sequence, a day after the last one's clock. */
  async newWorkspace(): Promise<string> {
    this.clock.advance(86_400_000);
    const id = `sim${++this.workspaces}_${process.pid}`;
    this.key = TEST_API_KEY;
    const r = await this.call(0, 'POST', '/admin/workspaces', { id });
    if (r.status !== 201) throw new Error(`workspace: ${r.status} ${JSON.stringify(r.body)}`);
    this.key = r.body.key.key as string;
    this.workspace = id;
    return id;
  }

  /** Removes the sequence's contacts, so their recheck instants cost the next sequences nothing. */
  async dropWorkspaceData(): Promise<void> {
    await this.db.collection('contacts').deleteMany({ workspaceId: this.workspace });
  }

  async call(via: 0 | 1, method: string, path: string, body?: unknown): Promise<Reply> {
    const res = await fetch(`http://127.0.0.1:${this.app(via).port}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  /**
   * Runs what is left to do at the current instant, in whichever process can do it, until no
   * rebuild is pending, no contact is due or holds an outbox, and the dispatcher has passed
   * every transition. Each round first reads what is left, so a quiet step costs four reads.
   */
  async settle(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const s = await this.left();
      if (s.rebuilds + s.contacts === 0 && !s.behind) return;
      if (Date.now() > deadline) throw new Error(`the product did not settle in 30 s: ${JSON.stringify(s)}`);
      const [a, b] = this.live;
      let work = 0;
      if (s.rebuilds) work += await a!.membership.rebuilder.runOnce();
      if (s.contacts) work += await a!.membership.sweep();
      if (s.behind) {
        // Only the process holding the dispatcher's lease dispatches: ask the last one that did.
        const first = this.live[this.dispatcher] ?? a!;
        let n = await first.membership.dispatcher.dispatchOnce();
        if (n === 0 && b) {
          this.dispatcher = 1 - this.dispatcher;
          n = await this.live[this.dispatcher]!.membership.dispatcher.dispatchOnce();
        }
        work += n;
      }
      // Nothing we could do: another process holds the work (a rebuild, an outbox); wait for it.
      if (work === 0) await sleep(5);
    }
  }

  private dispatcher = 0;

  /** What is still to do at this instant. */
  private async left(): Promise<{ rebuilds: number; contacts: number; behind: boolean }> {
    const db = this.db;
    const now = this.clock.now();
    const [rebuilds, contacts, cursor, counter] = await Promise.all([
      db.collection('segment_rebuilds').countDocuments({ done: false }),
      db.collection('contacts').countDocuments({
        $or: [{ nextRecheckAt: { $lte: now } }, { 'pendingTransitions.seq': { $gte: 1 } }],
      }),
      db
        .collection<{ _id: string; position: number }>('dispatch_cursors')
        .findOne({ _id: 'segment_transitions' }),
      db.collection<{ _id: string; value: number }>('counters').findOne({ _id: 'transition_position' }),
    ]);
    return { rebuilds, contacts, behind: (counter?.value ?? 0) > (cursor?.position ?? 0) };
  }

  /** The dispatcher's position: every transition at or below it is in the feed. */
  async dispatched(): Promise<number> {
    const c = await this.db
      .collection<{ _id: string; position: number }>('dispatch_cursors')
      .findOne({ _id: 'segment_transitions' });
    return c?.position ?? 0;
  }

  /** Every contact of the workspace: product id → (externalId, segment ids). */
  async memberships(): Promise<Map<string, { externalId?: string; segments: Set<string> }>> {
    const docs = await this.db
      .collection<{ _id: string; externalId?: string; segments: { segmentId: string }[] }>('contacts')
      .find({ workspaceId: this.workspace }, { projection: { externalId: 1, segments: 1 } })
      .toArray();
    return new Map(
      docs.map((d) => [
        d._id,
        { externalId: d.externalId, segments: new Set(d.segments.map((s) => s.segmentId)) },
      ]),
    );
  }

  /** The earliest recheck instant after now among the workspace's contacts. */
  async nextRecheck(): Promise<number | null> {
    const doc = await this.db
      .collection<{ nextRecheckAt: Date | null }>('contacts')
      .find({ workspaceId: this.workspace, nextRecheckAt: { $gt: this.clock.now() } })
      .sort({ nextRecheckAt: 1 })
      .limit(1)
      .project<{ nextRecheckAt: Date }>({ nextRecheckAt: 1 })
      .toArray();
    return doc[0]?.nextRecheckAt.getTime() ?? null;
  }

  /** The feed after `cursor`, every page. */
  async feed(cursor: number): Promise<{ items: FeedItem[]; cursor: number }> {
    const items: FeedItem[] = [];
    for (;;) {
      const r = await this.call(0, 'GET', `/transitions?cursor=${cursor}&limit=500`);
      if (r.status !== 200) throw new Error(`feed: ${r.status} ${JSON.stringify(r.body)}`);
      items.push(...(r.body.items as FeedItem[]));
      const next = r.body.nextCursor as number;
      if ((r.body.items as unknown[]).length < 500) return { items, cursor: next };
      cursor = next;
    }
  }
}
