/**
 * The membership engine, assembled: compiled-segment catalog, guarded write path, sweeper for
 * time, rebuilder for definitions, outbox recovery and the dispatcher, with their loops.
 */
import type { Db } from 'mongodb';
import type { Clock } from '../../domain/membership/transitions';
import type { Logger } from '../logger';
import { startLoop, type Loop } from '../loop';
import type { SegmentRepo } from '../repos/segments';
import { SegmentCatalog } from './catalog';
import { Dispatcher } from './dispatcher';
import { MembershipEngine } from './engine';
import { flushStale } from './flush';
import { SegmentQueries } from './queries';
import { Rebuilder } from './rebuild';
import { requestRecheckRepair } from './repair';
import { ensureMembershipIndexes, membershipCollections, type MembershipCollections } from './store';
import { sweepDue, type SweeperOptions } from './sweeper';

export interface MembershipOptions {
  clock?: Clock;
  sweepEveryMs?: number;
  dispatchEveryMs?: number;
  rebuildEveryMs?: number;
  sweeper?: SweeperOptions;
  gapGraceMs?: number;
  /** Contacts per rebuild batch (progress is persisted after each). */
  rebuildBatch?: number;
}

export class Membership {
  readonly collections: MembershipCollections;
  readonly catalog: SegmentCatalog;
  readonly engine: MembershipEngine;
  readonly rebuilder: Rebuilder;
  readonly dispatcher: Dispatcher;
  readonly queries: SegmentQueries;
  readonly clock: Clock;
  private loops: Loop[] = [];

  constructor(
    private readonly db: Db,
    private readonly segments: SegmentRepo,
    private readonly log: Logger,
    private readonly opts: MembershipOptions = {},
  ) {
    this.clock = opts.clock ?? (() => new Date());
    this.collections = membershipCollections(db);
    this.catalog = new SegmentCatalog(segments);
    this.engine = new MembershipEngine(this.collections, this.catalog, this.clock, log);
    this.rebuilder = new Rebuilder(
      db,
      this.collections,
      segments,
      this.catalog,
      this.engine,
      this.clock,
      opts.rebuildBatch,
    );
    this.dispatcher = new Dispatcher(db, this.collections, log, { gapGraceMs: opts.gapGraceMs ?? 10_000 });
    this.queries = new SegmentQueries(
      this.collections,
      this.catalog,
      this.clock,
      () => this.dispatcher.position(),
      async (ws) => new Map((await segments.list(ws)).map((s) => [s._id, s.name])),
    );
  }

  /** Indexes, and the one-time recheck repair of a database from an older release (repair.ts). */
  async ensureIndexes(): Promise<void> {
    await ensureMembershipIndexes(this.collections);
    await this.rebuilder.ensureIndexes();
    const n = await requestRecheckRepair(this.db, this.segments, this.catalog, this.rebuilder);
    if (n > 0)
      this.log.info(
        `membership: ${n} time-dependent segments queued for a rebuild to restore recheck instants`,
      );
  }

  sweep(): Promise<number> {
    return sweepDue(this.collections, this.engine, this.clock, this.opts.sweeper);
  }

  /** Starts the background loops; safe to run in any number of processes. */
  start(): void {
    const o = this.opts;
    this.loops = [
      startLoop('sweeper', o.sweepEveryMs ?? 500, () => this.sweep(), this.log),
      startLoop('rebuilds', o.rebuildEveryMs ?? 500, () => this.rebuilder.runOnce(), this.log),
      startLoop('outbox', 5000, () => flushStale(this.collections), this.log),
      startLoop('dispatcher', o.dispatchEveryMs ?? 200, () => this.dispatcher.dispatchOnce(), this.log),
    ];
  }

  async stop(): Promise<void> {
    await Promise.all(this.loops.map((l) => l.stop()));
    this.loops = [];
    await this.dispatcher.release();
  }
}
