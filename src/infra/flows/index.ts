/**
 * The workflow runtime, assembled (DESIGN §3.6): bindings, the transition subscriber, the stepper
 * with its Agenda timers, effects through the app's ports, a recovery loop for instances a crash
 * left unstarted, and the management operations the API and chat use.
 */
import type { Agenda } from 'agenda';
import type { Db } from 'mongodb';
import { ALWAYS_OPEN, type SendGate } from '../../domain/ports/sendGate';
import type { Logger } from '../logger';
import { startLoop, type Loop } from '../loop';
import type { SegmentRepo } from '../repos/segments';
import { WELCOME_FLOW } from '../../../flows';
import { BindingRepo, bindsSegment } from './bindings';
import { EffectRunner, type EffectPorts } from './effects';
import { agendaTimers, defineFlowJobs, type DwellJobData } from './jobs';
import { FlowStarter } from './starter';
import { ContactFacts } from './facts';
import { FlowStepper, type WakeJobData } from './stepper';
import { FlowAdmission, recordStarts } from './admission';
import { ensureFlowIndexes, flowCollections, type FlowCollections, type FlowInstance } from './store';

/** Due instances read per query when waking timers. */
const WAKE_PAGE = 1000;
/** Pending instances admitted and started together, and how many such batches run at once. */
const START_BATCH = 200;
const START_WORKERS = 2;
/** A tick also looks this far back, for a timer persisted just after its tick ran. */
const WAKE_OVERLAP_MS = 2000;

export interface FlowRuntimeOptions {
  agenda: Agenda;
  segments: Pick<SegmentRepo, 'list' | 'generation'>;
  ports: EffectPorts;
  clock: () => Date;
  /** Multiplies every wait, dwell and cooldown (FLOW_TIME_SCALE). */
  timeScale: number;
  /** The bot's greeting welcomes new contacts (BOT_WELCOME=greeting): the welcome flow leaves its own out. */
  botGreets?: boolean;
  /** Step lease and Agenda lock lifetime (FLOW_LOCK_MS). */
  lockMs: number;
  log: Logger;
  recoverEveryMs?: number;
  /** Closed by a graceful stop: no step starts after it (default: never closes). */
  gate?: SendGate;
}

export class FlowRuntime {
  readonly c: FlowCollections;
  readonly bindings: BindingRepo;
  readonly stepper: FlowStepper;
  readonly starter: FlowStarter;
  /** Admission of pending instances: re-entry policy, dwell (admission.ts). */
  readonly admission: FlowAdmission;
  private readonly timers;
  /** Contacts with their segment names for the steps, and the segment-name cache. */
  private readonly contactFacts: ContactFacts;
  private loop: Loop | undefined;
  /** The timer pass running now, whether another must follow it, and up to when the last one looked. */
  private pass: Promise<void> | undefined;
  private rerun: false | 'new' | 'all' = false;
  private covered = 0;
  private stopped = false;
  /** Instances to admit and start (id → workspace), taken in batches by up to START_WORKERS workers. */
  private readonly starting = new Map<string, string>();
  private readonly startWorkers = new Set<Promise<void>>();

  private readonly gate: SendGate;

  constructor(
    db: Db,
    private readonly o: FlowRuntimeOptions,
  ) {
    this.gate = o.gate ?? ALWAYS_OPEN;
    this.c = flowCollections(db);
    this.bindings = new BindingRepo(this.c, o.clock);
    this.timers = agendaTimers(o.agenda, o.log);
    this.contactFacts = new ContactFacts(o.ports, o.segments);
    this.stepper = new FlowStepper({
      c: this.c,
      facts: this.contactFacts,
      effects: new EffectRunner(this.c, o.ports, o.clock, o.log, this.gate),
      timers: this.timers,
      gate: this.gate,
      clock: o.clock,
      timeScale: o.timeScale,
      ...(o.botGreets ? { botGreets: true } : {}),
      lockMs: o.lockMs,
      log: o.log,
    });
    this.starter = new FlowStarter({
      c: this.c,
      bindings: this.bindings,
      segmentKey: async (ws, id) => (await this.contactFacts.segmentKeys(ws, id)).get(id),
      kick: (ws, id) => this.kick(ws, id),
      stop: (inst, why) => this.stopInstance(inst, 'cancelled', `stopped: ${why}`),
      clock: o.clock,
      log: o.log,
    });
    this.admission = new FlowAdmission({
      c: this.c,
      scheduleDwell: (at, ws, instanceId) => this.timers.scheduleDwell(at, { workspaceId: ws, instanceId }),
      clock: o.clock,
      timeScale: o.timeScale,
    });
  }

  async ensureIndexes(): Promise<void> {
    await ensureFlowIndexes(this.c);
  }

  /** Defines the Agenda jobs: before the scheduler starts, in every process that runs jobs. */
  defineJobs(): void {
    defineFlowJobs(
      this.o.agenda,
      { wake: (d) => this.onWake(d), dwell: (d) => this.onDwell(d), tick: () => this.wakeDue(false) },
      this.o.lockMs,
      this.o.log,
    );
  }

  /** Starts the recovery loop (instances whose admission or first step a crash interrupted). */
  start(): void {
    this.loop = startLoop('flow-recovery', this.o.recoverEveryMs ?? 5000, () => this.recover(), this.o.log);
  }

  async stop(): Promise<void> {
    this.stopped = true; // a tick arriving from now on queues nothing
    await this.loop?.stop();
    await this.pass?.catch(() => undefined);
    this.starting.clear(); // the recovery loop of the next start picks them up
    await Promise.all(this.startWorkers);
  }

  /** Resolves when every kicked first step has run (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.startWorkers.size > 0) await Promise.all(this.startWorkers);
  }

  /**
   * Will the welcome flow message a contact in these segments (an enabled binding starts it on
   * entering one of them)? The bot asks, with BOT_WELCOME=flow, before greeting a new contact.
   */
  async welcomes(ws: string, segmentIds: readonly string[]): Promise<boolean> {
    const mine = (await this.bindings.enabled(ws)).filter(
      (b) => b.flowId === WELCOME_FLOW && b.on === 'entered',
    );
    if (mine.length === 0 || segmentIds.length === 0) return false;
    const keys = await this.contactFacts.segmentKeys(ws, segmentIds[0]);
    return mine.some((b) => segmentIds.some((id) => bindsSegment(b, id, keys.get(id))));
  }

  /** Cancels a dwelling or running instance; false when it was not open. */
  async cancel(ws: string, instanceId: string, why: string): Promise<boolean> {
    const inst = await this.c.instances.findOne({ _id: instanceId, workspaceId: ws });
    return inst ? this.stopInstance(inst, 'cancelled', why) : false;
  }

  /** Queues an instance for admission and its first step (a batch worker takes it soon). */
  private kick(ws: string, id: string): void {
    if (this.stopped || !this.gate.open) return;
    this.starting.set(id, ws);
    if (this.startWorkers.size >= START_WORKERS) return;
    const worker: Promise<void> = this.startBatches().finally(() => this.startWorkers.delete(worker));
    this.startWorkers.add(worker);
  }

  /** Takes batches of queued instances (one workspace each) until none is left. */
  private async startBatches(): Promise<void> {
    // Let the kicks of the same dispatcher batch queue up first, so they go as one batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.starting.size > 0 && !this.stopped && this.gate.open) {
      const ws = this.starting.values().next().value as string;
      const ids: string[] = [];
      for (const [id, w] of this.starting) {
        if (w !== ws) continue;
        ids.push(id);
        this.starting.delete(id);
        if (ids.length === START_BATCH) break;
      }
      await this.advanceMany(ws, ids).catch((err: unknown) =>
        // Left as they are: the recovery loop moves them on once their update is old enough.
        this.o.log.error({ err, count: ids.length }, 'flows: a batch of first steps failed'),
      );
    }
  }

  /**
   * Pending instances are admitted (policy, dwell) and take their first step together; a running
   * one that never stepped (its admission's process died) takes it on its own, after a claim.
   */
  private async advanceMany(ws: string, ids: string[]): Promise<void> {
    const insts = await this.c.instances.find({ _id: { $in: ids }, workspaceId: ws }).toArray();
    const admitted = await this.admission.admitMany(insts, await this.bindings.enabled(ws), this.o.lockMs);
    await this.stepper.startMany(admitted);
    for (const inst of insts)
      if (inst.status === 'running' && inst.rev === 0) await this.stepper.start(ws, inst._id);
  }

  private async onWake(d: WakeJobData): Promise<void> {
    const r = await this.stepper.wake(d);
    // Another step holds the lease: come back when it must have finished or expired.
    if (r === 'busy') await this.timers.schedule(new Date(Date.now() + this.o.lockMs), d);
  }

  /**
   * Steps every running instance with a due timer (its earliest), in batches. A tick looks at the
   * timers that fell due since the last pass (less an overlap, for a timer whose instance was
   * persisted just after its tick ran); the recovery loop looks at all of them, so a timer whose
   * tick was lost (a crash) or whose step failed still runs. One pass at a time per process: a
   * request meanwhile makes one more pass afterwards. An instance whose step holds the lease is
   * left to that step.
   */
  private wakeDue(all: boolean): Promise<void> {
    if (this.stopped || !this.gate.open) return Promise.resolve();
    this.rerun = this.rerun === 'all' || all ? 'all' : 'new';
    this.pass ??= (async () => {
      try {
        while (this.rerun) {
          const since = this.rerun === 'all' ? null : this.covered - WAKE_OVERLAP_MS;
          this.rerun = false;
          this.covered = await this.sweepDue(since);
        }
      } finally {
        this.pass = undefined;
      }
    })();
    return this.pass;
  }

  /** One pass over the timers due after `since` (all when null), in pages by `_id`; returns its instant. */
  private async sweepDue(since: number | null): Promise<number> {
    const now = new Date(); // timers are on Agenda's real clock
    const dueAt = since === null ? { $lte: now } : { $gt: new Date(since), $lte: now };
    let after: string | null = null;
    for (;;) {
      const page: Pick<FlowInstance, '_id' | 'workspaceId' | 'rev' | 'timers' | 'lockUntil'>[] =
        await this.c.instances
          .find(
            { status: 'running', 'timers.dueAt': dueAt, ...(after ? { _id: { $gt: after } } : {}) },
            { projection: { workspaceId: 1, rev: 1, timers: 1, lockUntil: 1 } },
          )
          .sort({ _id: 1 })
          .limit(WAKE_PAGE)
          .toArray();
      const due = new Map<string, WakeJobData[]>();
      for (const inst of page) {
        if (inst.lockUntil && inst.lockUntil > now) continue;
        const timer = inst.timers.filter((t) => t.dueAt <= now).sort((a, b) => +a.dueAt - +b.dueAt)[0];
        if (!timer) continue;
        const data = {
          workspaceId: inst.workspaceId,
          instanceId: inst._id,
          sendId: timer.sendId,
          rev: inst.rev,
        };
        const list = due.get(inst.workspaceId) ?? [];
        due.set(inst.workspaceId, list);
        list.push(data);
      }
      for (const [ws, list] of due)
        for (let i = 0; i < list.length && !this.stopped && this.gate.open; i += START_BATCH)
          await this.stepper.wakeMany(ws, list.slice(i, i + START_BATCH));
      if (page.length < WAKE_PAGE) return now.getTime();
      after = page[page.length - 1]!._id;
    }
  }

  private async onDwell(d: DwellJobData): Promise<void> {
    const inst = await this.c.instances.findOne({
      _id: d.instanceId,
      workspaceId: d.workspaceId,
      status: 'dwelling',
    });
    if (!inst) return;
    const contact = await this.o.ports.contactById(d.workspaceId, inst.contactId);
    const member = contact?.segments.some((s) => s.segmentId === inst.trigger.segmentId) ?? false;
    const still = contact !== null && member === (inst.trigger.kind === 'entered');
    if (!still) {
      await this.stopInstance(inst, 'dropped', 'dwell: no longer there when the dwell ended');
      return;
    }
    const now = this.o.clock();
    const res = await this.c.instances.updateOne(
      { _id: inst._id, rev: 0, status: 'dwelling' },
      {
        $set: { status: 'running', nextWakeAt: now, updatedAt: now },
        $push: { history: { at: now, kind: 'dwell', detail: 'still there after the dwell: starting' } },
      },
    );
    if (res.modifiedCount === 1) {
      await recordStarts(this.c, [inst], now);
      await this.stepper.start(d.workspaceId, inst._id);
    }
  }

  private async recover(): Promise<number> {
    const before = new Date(this.o.clock().getTime() - this.o.lockMs);
    const stuck = await this.c.instances
      .find(
        { status: { $in: ['pending', 'running'] }, rev: 0, updatedAt: { $lt: before } },
        { projection: { workspaceId: 1 } },
      )
      .limit(200)
      .toArray();
    for (const s of stuck) this.kick(s.workspaceId, s._id);
    // A dwell whose job was never scheduled (a crash between the insert and the schedule).
    const overdue = await this.c.instances
      .find(
        { status: 'dwelling', dwellUntil: { $lt: new Date(Date.now() - this.o.lockMs) } },
        { projection: { workspaceId: 1 } },
      )
      .limit(200)
      .toArray();
    for (const s of overdue) await this.onDwell({ workspaceId: s.workspaceId, instanceId: s._id });
    await this.wakeDue(true);
    return 0;
  }

  private async stopInstance(
    inst: FlowInstance,
    status: 'cancelled' | 'dropped',
    why: string,
  ): Promise<boolean> {
    const now = this.o.clock();
    const res = await this.c.instances.updateOne(
      { _id: inst._id, rev: inst.rev }, // every status change bumps rev
      {
        $set: {
          status,
          openSlot: `closed:${inst._id}`,
          rev: inst.rev + 1,
          timers: [],
          nextWakeAt: null,
          endedAt: now,
          updatedAt: now,
        },
        $push: { history: { at: now, kind: status, detail: why } },
      },
    );
    if (res.modifiedCount === 0) {
      // It moved on meanwhile (a step): read it again and retry once, unless it has ended.
      const fresh = await this.c.instances.findOne({ _id: inst._id });
      if (fresh && fresh.rev !== inst.rev && ['pending', 'running', 'dwelling'].includes(fresh.status))
        return this.stopInstance(fresh, status, why);
      return false;
    }
    await this.timers.cancel(inst.timers.map((t) => t.jobId));
    return true;
  }
}
