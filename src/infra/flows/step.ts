/**
 * One step of a flow instance, computed and written without I/O: XState's pure transition over the
 * contact's fresh facts, the effect calls of its actions, and the compare-and-set write of its
 * outcome. The stepper (stepper.ts) leases, carries the actions out and persists.
 */
import type { AnyMachineSnapshot } from 'xstate';
import { initialTransition, transition } from 'xstate';
import type { Filter, UpdateFilter } from 'mongodb';
import { flowById, isEffect, zoneOrUtc, type FlowContext, type FlowFacts } from '../../../flows';
import type { Contact } from '../../domain/contacts/types';
import type { EffectCall } from './effects';
import type { FlowInstance, HistoryEntry, PendingTimer } from './store';

export interface Facts {
  contact: Contact;
  segmentNames: string[];
}

/** What a step's computation reads besides the instance: business time and the flow options. */
export interface StepOptions {
  clock: () => Date;
  timeScale: number;
  /** The bot's greeting welcomes new contacts (BOT_WELCOME=greeting): flows leave their welcome out. */
  botGreets?: boolean;
}

/** A step computed, before its actions are carried out. */
export interface Step {
  inst: FlowInstance;
  contact: Contact;
  timer: PendingTimer | null;
  snap: AnyMachineSnapshot;
  actions: { type: string; params?: unknown }[];
}

/** The next snapshot and its actions (XState's pure transition), or why the step cannot run. */
export function computeStep(
  o: StepOptions,
  inst: FlowInstance,
  loaded: Facts | null,
  timer: PendingTimer | null,
): Step | string {
  const flow = flowById(inst.flowId);
  if (!flow) return `flow ${inst.flowId} no longer exists`;
  if (!loaded) return 'the contact was deleted';
  const facts: FlowFacts = {
    now: o.clock().getTime(),
    timezone: zoneOrUtc(loaded.contact.custom?.timezone),
    segments: loaded.segmentNames,
    contact: { ...loaded.contact },
  };
  const m = flow.machine;
  let snap: AnyMachineSnapshot;
  let actions: { type: string; params?: unknown }[];
  if (timer === null) {
    [snap, actions] = initialTransition(m, {
      timeScale: o.timeScale,
      facts,
      ...(o.botGreets ? { botGreets: true } : {}),
    });
  } else {
    const restored = m.resolveState(JSON.parse(inst.snapshot ?? '{}') as never);
    const [fresh] = transition(m, restored, { type: 'flow.facts', facts });
    [snap, actions] = transition(m, fresh, { type: timer.eventType });
  }
  return { inst, contact: loaded.contact, timer, snap, actions };
}

/** The effect call of a step's i-th action: its key is instance + revision + index (idempotent). */
export function effectCall(st: Step, i: number, a: { type: string; params?: unknown }): EffectCall {
  return {
    key: `${st.inst._id}:${st.inst.rev}:${i}`,
    workspaceId: st.inst.workspaceId,
    instanceId: st.inst._id,
    flowId: st.inst.flowId,
    contact: st.contact,
    action: a.type as EffectCall['action'],
    params: a.params as never,
  };
}

/** The effect calls of a step's actions, in order. */
export function effectCalls(st: Step): EffectCall[] {
  return st.actions.flatMap((a, i) => (isEffect(a.type) ? [effectCall(st, i, a)] : []));
}

/** The compare-and-set write of a step's outcome (the revision it read; every change bumps it). */
export function persistOp(
  now: Date,
  st: Step,
  timers: PendingTimer[],
  history: HistoryEntry[],
): { filter: Filter<FlowInstance>; update: UpdateFilter<FlowInstance> } {
  const { inst, snap } = st;
  const done = snap.status === 'done';
  if (done) history.push({ at: now, kind: 'done', detail: `finished in ${JSON.stringify(snap.value)}` });
  // Facts about the contact are refreshed on every step: never stored.
  const ctx = snap.context as FlowContext;
  const stored = { ...snap, context: { ...ctx, facts: { ...ctx.facts, contact: undefined } } };
  return {
    filter: { _id: inst._id, rev: inst.rev },
    update: {
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
  };
}
