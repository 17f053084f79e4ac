/**
 * Steps one flow instance with XState's pure `transition()` (DESIGN §3.6): lease the instance,
 * refresh the contact's facts, compute the next snapshot and its actions, carry out the effects
 * (idempotently, see effects.ts), turn delayed raises into Agenda jobs and cancels into job
 * cancellations, then persist the snapshot with compare-and-set on the revision.
 *
 * A crash anywhere is replayed from the last persisted revision: effects already recorded are not
 * repeated, and timer jobs from the lost attempt find the revision moved on and do nothing.
 */
import type { AnyBulkWriteOperation } from 'mongodb';
import { isEffect } from '../../../flows';
import type { SendGate } from '../../domain/ports/sendGate';
import { BatchWriter, OUTCOME_DELAY_MS } from '../batchWriter';
import type { Logger } from '../logger';
import type { EffectCall, EffectResult, EffectRunner } from './effects';
import { computeStep, effectCall, effectCalls, persistOp, type Facts, type Step } from './step';
import {
  leaseMany,
  type FlowCollections,
  type FlowInstance,
  type HistoryEntry,
  type PendingTimer,
} from './store';

export type { Facts } from './step';

export interface FactsSource {
  /** The contact and the names of its segments; null when the contact no longer exists. */
  load(ws: string, contactId: string): Promise<Facts | null>;
  /** The same for many contacts of one workspace (contact id → facts; absent when deleted). */
  loadMany(ws: string, contactIds: string[]): Promise<Map<string, Facts>>;
}

export interface WakeJobData {
  workspaceId: string;
  instanceId: string;
  sendId: string;
  rev: number;
}

export interface TimerPort {
  schedule(at: Date, data: WakeJobData): Promise<string | null>;
  cancel(jobIds: (string | null)[]): Promise<void>;
}

export interface StepperDeps {
  c: FlowCollections;
  facts: FactsSource;
  effects: EffectRunner;
  timers: TimerPort;
  clock: () => Date;
  timeScale: number;
  /** The bot's greeting welcomes new contacts (BOT_WELCOME=greeting): flows leave their welcome out. */
  botGreets?: boolean;
  lockMs: number;
  log: Logger;
  /** Closed by a graceful stop: no step (and so no message) starts after it. */
  gate?: SendGate;
}

export type StepResult = 'stepped' | 'stale' | 'busy' | 'gone';

/**
 * Steps whose effect records are written together (and so may turn `unknown` together) and whose
 * effects run at once: with two start workers and the timer pass, at most 48 messages are in
 * flight to the channel, about what the in-process pool of 16 plus Agenda's wakes allowed.
 */
const EFFECT_WAVE = 16;

type RunEffect = (call: EffectCall) => Promise<EffectResult>;

interface RaiseParams {
  event: { type: string };
  id: string;
  delay?: number;
}

const STEP_FIELDS = {
  workspaceId: 1,
  flowId: 1,
  contactId: 1,
  status: 1,
  snapshot: 1,
  rev: 1,
  timers: 1,
  startedAt: 1,
  lockUntil: 1,
} as const;

const firstStep = (inst: FlowInstance): null | false =>
  inst.rev === 0 && inst.snapshot === null ? null : false;

export class FlowStepper {
  constructor(private readonly d: StepperDeps) {}

  /** Runs the initial transition of a running instance that has not started (rev 0). */
  start(ws: string, instanceId: string): Promise<StepResult> {
    return this.step(ws, instanceId, firstStep);
  }

  /** Delivers a timer's event, if the instance is still at the revision that scheduled it. */
  wake(data: WakeJobData): Promise<StepResult> {
    return this.step(data.workspaceId, data.instanceId, (inst) => {
      const timer = inst.timers.find((t) => t.sendId === data.sendId);
      return inst.rev === data.rev && timer ? timer : false;
    });
  }

  private async step(
    ws: string,
    id: string,
    pick: (inst: FlowInstance) => PendingTimer | null | false,
  ): Promise<StepResult> {
    // Stopping: the step is left for the next start (a timer's job comes back; recovery finds the rest).
    if (this.d.gate?.open === false) return 'busy';
    const inst = await this.claim(ws, id);
    return inst === 'busy' || inst === 'gone' ? inst : this.run(inst, pick);
  }

  /** The first steps of instances their admission has just leased to this process, in bulk. */
  startMany(insts: FlowInstance[]): Promise<void> {
    return this.stepMany(insts, firstStep);
  }

  /**
   * Delivers many due timers of one workspace at once: one read, one claim of every instance
   * still at the revision that scheduled its timer and not leased (a per-batch token proves which
   * claims applied), then the steps in bulk. One busy or moved on is left to whoever holds it.
   */
  async wakeMany(ws: string, due: WakeJobData[]): Promise<void> {
    if (due.length === 0) return;
    const read = await this.d.c.instances
      .find({ _id: { $in: due.map((d) => d.instanceId) }, workspaceId: ws, status: 'running' })
      .toArray();
    const real = Date.now();
    const byId = new Map(due.map((d) => [d.instanceId, d]));
    const free = read.filter(
      (i) => !(i.lockUntil && i.lockUntil.getTime() > real) && i.rev === byId.get(i._id)?.rev,
    );
    if (free.length === 0) return;
    const lockUntil = new Date(real + this.d.lockMs);
    const claimed = await leaseMany(
      this.d.c.instances,
      free,
      (i) => ({ _id: i._id, rev: i.rev, lockUntil: i.lockUntil ?? null }),
      { lockUntil },
    );
    await this.stepMany(
      claimed.map((i) => ({ ...i, lockUntil })),
      (inst) => inst.timers.find((t) => t.sendId === byId.get(inst._id)?.sendId) ?? false,
    );
  }

  /**
   * Steps of many leased instances of one workspace, in bulk: one read of the contacts, the
   * effect records begun per wave of EFFECT_WAVE, each outcome recorded within OUTCOME_DELAY_MS
   * of its answer (batched), one write of the instances. Each step's effects still run in its
   * own order. A graceful stop lets the wave in flight finish and begins no other: the steps not
   * begun are released for the next start.
   */
  private async stepMany(
    insts: FlowInstance[],
    pick: (inst: FlowInstance) => PendingTimer | null | false,
  ): Promise<void> {
    const ws = insts[0]?.workspaceId;
    if (ws === undefined) return;
    const facts = await this.d.facts.loadMany(
      ws,
      insts.map((i) => i.contactId),
    );
    const steps: Step[] = [];
    for (const inst of insts) {
      const timer = pick(inst);
      if (timer === false) {
        await this.release(inst);
        continue;
      }
      const step = computeStep(this.d, inst, facts.get(inst.contactId) ?? null, timer);
      if (typeof step === 'string') await this.close(inst, 'failed', step);
      else steps.push(step);
    }
    const writes: AnyBulkWriteOperation<FlowInstance>[] = [];
    const finished = new BatchWriter<{ key: string; result: EffectResult }>(
      (done) => this.d.effects.finishMany(done),
      { maxDelayMs: OUTCOME_DELAY_MS, maxItems: EFFECT_WAVE * 4 },
    );
    let i = 0;
    try {
      for (; i < steps.length && this.d.gate?.open !== false; i += EFFECT_WAVE) {
        const wave = steps.slice(i, i + EFFECT_WAVE);
        const begun = await this.d.effects.begin(wave.flatMap((st) => effectCalls(st)));
        const perform: RunEffect = async (call) => {
          if (!begun.has(call.key)) return this.d.effects.run(call);
          const result = await this.d.effects.perform(call);
          finished.push({ key: call.key, result });
          return result;
        };
        const outs = await Promise.all(wave.map((st) => this.carryOut(st, perform)));
        // The wave's records are written before the next wave begins: a kill leaves at most one
        // wave per worker undecided (answers within a slow wave are written as they come).
        await finished.flush();
        wave.forEach((st, k) =>
          writes.push({ updateOne: persistOp(this.d.clock(), st, outs[k]!.timers, outs[k]!.history) }),
        );
      }
    } finally {
      // The step records first: an instance persisted past a step whose record is still `started`
      // would leave that record `started` for good.
      await finished.close();
    }
    // Not begun (a stop): their leases go now, so the next start steps them at once.
    for (const st of steps.slice(i))
      writes.push({
        updateOne: { filter: { _id: st.inst._id, rev: st.inst.rev }, update: { $set: { lockUntil: null } } },
      });
    if (writes.length > 0) await this.d.c.instances.bulkWrite(writes, { ordered: false });
  }

  /** One step of an instance this process holds the lease of. */
  private async run(
    inst: FlowInstance,
    pick: (inst: FlowInstance) => PendingTimer | null | false,
  ): Promise<StepResult> {
    const timer = pick(inst);
    if (timer === false) {
      await this.release(inst);
      return 'stale';
    }
    const step = computeStep(this.d, inst, await this.d.facts.load(inst.workspaceId, inst.contactId), timer);
    if (typeof step === 'string') {
      await this.close(inst, 'failed', step);
      return 'stepped';
    }
    const { timers, history } = await this.carryOut(step, (call) => this.d.effects.run(call));
    const op = persistOp(this.d.clock(), step, timers, history);
    const res = await this.d.c.instances.updateOne(op.filter, op.update);
    if (res.matchedCount === 0) {
      // Stopped or cancelled meanwhile: the timers this step scheduled must not fire.
      await this.d.timers.cancel(timers.filter((t) => !inst.timers.includes(t)).map((t) => t.jobId));
      return 'stale';
    }
    return 'stepped';
  }

  /** A step's actions in order: effects (through `effect`), delayed raises as timers, cancels. */
  private async carryOut(
    st: Step,
    effect: RunEffect,
  ): Promise<{ timers: PendingTimer[]; history: HistoryEntry[] }> {
    const { inst } = st;
    const now = this.d.clock();
    const history: HistoryEntry[] = [];
    const timers = inst.timers.filter((t) => t !== st.timer);
    for (const [i, a] of st.actions.entries()) {
      if (isEffect(a.type)) {
        const r = await effect(effectCall(st, i, a));
        history.push({ at: this.d.clock(), kind: a.type, detail: r.detail, outcome: r.outcome });
      } else if (a.type === 'xstate.raise' && (a.params as RaiseParams).delay !== undefined) {
        const p = a.params as RaiseParams;
        // Agenda runs on real time (the flow clock may be simulated in tests).
        const dueAt = new Date(Date.now() + (p.delay ?? 0));
        const data = { workspaceId: inst.workspaceId, instanceId: inst._id, sendId: p.id, rev: inst.rev + 1 };
        timers.push({
          sendId: p.id,
          eventType: p.event.type,
          dueAt,
          jobId: await this.d.timers.schedule(dueAt, data),
        });
        history.push({ at: now, kind: 'wait', detail: `until ${dueAt.toISOString()}` });
      } else if (a.type === 'xstate.cancel') {
        const sendId = (a.params as { sendId: string }).sendId;
        await this.d.timers.cancel(timers.filter((t) => t.sendId === sendId).map((t) => t.jobId));
        timers.splice(0, timers.length, ...timers.filter((t) => t.sendId !== sendId));
      }
    }
    return { timers, history };
  }

  /**
   * Leases the instance: read it by `{_id, workspaceId}`, then a compare-and-set on
   * `{_id, rev, lockUntil}` as read (both exact unique indexes: no scan on mongo-java-server).
   * Leases use the real clock (the flow clock may be simulated).
   */
  private async claim(ws: string, id: string): Promise<FlowInstance | 'busy' | 'gone'> {
    const inst = await this.d.c.instances.findOne({ _id: id, workspaceId: ws }, { projection: STEP_FIELDS });
    if (!inst || inst.status !== 'running') return 'gone';
    const real = Date.now();
    if (inst.lockUntil && inst.lockUntil.getTime() > real) return 'busy';
    const until = new Date(real + this.d.lockMs);
    const res = await this.d.c.instances.updateOne(
      { _id: id, rev: inst.rev, lockUntil: inst.lockUntil ?? null },
      { $set: { lockUntil: until } },
    );
    return res.modifiedCount === 1 ? { ...inst, lockUntil: until } : 'busy';
  }

  private async release(inst: FlowInstance): Promise<void> {
    await this.d.c.instances.updateOne({ _id: inst._id, rev: inst.rev }, { $set: { lockUntil: null } });
  }

  private async close(inst: FlowInstance, status: 'failed', detail: string): Promise<void> {
    const now = this.d.clock();
    await this.d.timers.cancel(inst.timers.map((t) => t.jobId));
    await this.d.c.instances.updateOne(
      { _id: inst._id, rev: inst.rev },
      {
        $set: {
          status,
          openSlot: `closed:${inst._id}`,
          rev: inst.rev + 1,
          timers: [],
          nextWakeAt: null,
          lockUntil: null,
          endedAt: now,
          updatedAt: now,
        },
        $push: { history: { at: now, kind: status, detail } },
      },
    );
  }
}
