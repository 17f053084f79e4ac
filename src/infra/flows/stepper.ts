/**
 * Steps one flow instance with XState's pure `transition()` (DESIGN §3.6): lease the instance,
 * refresh the contact's facts, compute the next snapshot and its actions, carry out the effects
 * (idempotently, see effects.ts), turn delayed raises into Agenda jobs and cancels into job
 * cancellations, then persist the snapshot with compare-and-set on the revision.
 *
 * A crash anywhere is replayed from the last persisted revision: effects already recorded are not
 * repeated, and timer jobs from the lost attempt find the revision moved on and do nothing.
 */
import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import { flowById, isEffect, zoneOrUtc, type FlowContext, type FlowFacts } from '../../../flows';
import type { Contact } from '../../domain/contacts/types';
import type { Logger } from '../logger';
import type { EffectRunner } from './effects';
import type { FlowCollections, FlowInstance, HistoryEntry, PendingTimer } from './store';

export interface FactsSource {
  /** The contact and the names of its segments; null when the contact no longer exists. */
  load(ws: string, contactId: string): Promise<{ contact: Contact; segmentNames: string[] } | null>;
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
  lockMs: number;
  log: Logger;
}

export type StepResult = 'stepped' | 'stale' | 'busy' | 'gone';

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

  /** The first step of an instance its admission has just leased to this process. */
  startLeased(inst: FlowInstance): Promise<StepResult> {
    return this.run(inst, firstStep);
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
    const inst = await this.claim(ws, id);
    return inst === 'busy' || inst === 'gone' ? inst : this.run(inst, pick);
  }

  /** One step of an instance this process holds the lease of. */
  private async run(
    inst: FlowInstance,
    pick: (inst: FlowInstance) => PendingTimer | null | false,
  ): Promise<StepResult> {
    const ws = inst.workspaceId;
    const now = this.d.clock();
    const timer = pick(inst);
    if (timer === false) {
      await this.release(inst);
      return 'stale';
    }
    const flow = flowById(inst.flowId);
    const loaded = await this.d.facts.load(ws, inst.contactId);
    if (!flow || !loaded) {
      await this.close(
        inst,
        'failed',
        !flow ? `flow ${inst.flowId} no longer exists` : 'the contact was deleted',
      );
      return 'stepped';
    }
    const facts: FlowFacts = {
      now: now.getTime(),
      timezone: zoneOrUtc(loaded.contact.custom?.timezone),
      segments: loaded.segmentNames,
      contact: { ...loaded.contact },
    };
    const m = flow.machine;
    let snap: AnyMachineSnapshot;
    let actions: { type: string; params?: unknown }[];
    if (timer === null) {
      [snap, actions] = initialTransition(m, { timeScale: this.d.timeScale, facts });
    } else {
      const restored = m.resolveState(JSON.parse(inst.snapshot ?? '{}') as never);
      const [fresh] = transition(m, restored, { type: 'flow.facts', facts });
      [snap, actions] = transition(m, fresh, { type: timer.eventType });
    }
    const history: HistoryEntry[] = [];
    const timers = inst.timers.filter((t) => t !== timer);
    for (const [i, a] of actions.entries()) {
      if (isEffect(a.type)) {
        const r = await this.d.effects.run({
          key: `${inst._id}:${inst.rev}:${i}`,
          workspaceId: ws,
          instanceId: inst._id,
          flowId: inst.flowId,
          contact: loaded.contact,
          action: a.type,
          params: a.params as never,
        });
        history.push({ at: this.d.clock(), kind: a.type, detail: r.detail, outcome: r.outcome });
      } else if (a.type === 'xstate.raise' && (a.params as RaiseParams).delay !== undefined) {
        const p = a.params as RaiseParams;
        // Agenda runs on real time (the flow clock may be simulated in tests).
        const dueAt = new Date(Date.now() + (p.delay ?? 0));
        const data = { workspaceId: ws, instanceId: inst._id, sendId: p.id, rev: inst.rev + 1 };
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
    return this.persist(inst, snap, timers, history);
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

  private async persist(
    inst: FlowInstance,
    snap: AnyMachineSnapshot,
    timers: PendingTimer[],
    history: HistoryEntry[],
  ): Promise<StepResult> {
    const now = this.d.clock();
    const done = snap.status === 'done';
    if (done) history.push({ at: now, kind: 'done', detail: `finished in ${JSON.stringify(snap.value)}` });
    // Facts about the contact are refreshed on every step: never stored.
    const ctx = snap.context as FlowContext;
    const stored = { ...snap, context: { ...ctx, facts: { ...ctx.facts, contact: undefined } } };
    const res = await this.d.c.instances.updateOne(
      { _id: inst._id, rev: inst.rev }, // every status change bumps rev
      {
        $set: {
          snapshot: JSON.stringify(stored),
          state: typeof snap.value === 'string' ? snap.value : JSON.stringify(snap.value),
          rev: inst.rev + 1,
          timers: done ? [] : timers,
          nextWakeAt: done ? null : (timers.map((t) => t.dueAt).sort((a, b) => +a - +b)[0] ?? null),
          lockUntil: null,
          updatedAt: now,
          ...(inst.startedAt ? {} : { startedAt: now }),
          ...(done ? { status: 'done' as const, openSlot: `closed:${inst._id}`, endedAt: now } : {}),
        },
        $push: { history: { $each: history } },
      },
    );
    if (res.matchedCount === 0) {
      // Stopped or cancelled meanwhile: the timers this step scheduled must not fire.
      await this.d.timers.cancel(timers.filter((t) => !inst.timers.includes(t)).map((t) => t.jobId));
      return 'stale';
    }
    return 'stepped';
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
