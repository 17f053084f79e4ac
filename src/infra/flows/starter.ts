/**
 * Reacts to segment transitions (the dispatcher's batch subscriber): stops what a transition
 * stops, and records a `pending` instance for each binding it starts, a batch's in one insert, so
 * the dispatcher moves on at once. Admission (admission.ts: re-entry policy, dwell) and the first
 * step run in batches on the runtime's start workers; a recovery loop finishes any a crash left.
 * The instance id is binding + transition id, so a redelivered transition is a no-op, and the
 * `openSlot` unique index keeps one open (pending, dwelling or running) instance per (flow, contact).
 */
import type { Transition } from '../../domain/membership/transitions';
import type { Logger } from '../logger';
import { refusedAsDuplicates } from '../repos/mongoErrors';
import { bindsSegment, type BindingRepo } from './bindings';
import type { FlowBinding, FlowCollections, FlowInstance } from './store';

export interface StarterDeps {
  c: FlowCollections;
  bindings: BindingRepo;
  /** Lower-case name of a segment id (built-in bindings match by name). */
  segmentKey(ws: string, segmentId: string): Promise<string | undefined>;
  /** Moves an instance on soon (the runtime's start workers): admission, then the first step. */
  kick(ws: string, instanceId: string): void;
  stop(inst: FlowInstance, why: string): Promise<boolean>;
  clock: () => Date;
  log: Logger;
}

export class FlowStarter {
  constructor(private readonly d: StarterDeps) {}

  /** One transition (tests; the dispatcher delivers batches to `onTransitions`). */
  onTransition(t: Transition): Promise<void> {
    return this.onTransitions([t]);
  }

  /**
   * The dispatcher's subscriber: a batch in position order. The instances it starts are inserted
   * together, but always before a later transition in the batch stops anything, so an exit after
   * an entry in the same batch stops the instance that entry started.
   */
  async onTransitions(ts: Transition[]): Promise<void> {
    let fresh: { inst: FlowInstance; binding: FlowBinding }[] = [];
    for (const t of ts) {
      const all = await this.d.bindings.enabled(t.workspaceId);
      if (all.length === 0) continue;
      const key = await this.d.segmentKey(t.workspaceId, t.segmentId);
      const mine = all.filter((b) => bindsSegment(b, t.segmentId, key));
      const stops = mine.filter((b) => b.stopOnExit && b.on !== t.kind);
      if (stops.length > 0) {
        await this.record(fresh);
        fresh = [];
      }
      for (const b of stops) await this.stopFor(b, t);
      for (const b of mine)
        if (b.on === t.kind) fresh.push({ inst: pendingInstance(b, t, this.d.clock()), binding: b });
    }
    await this.record(fresh);
  }

  private async stopFor(b: FlowBinding, t: Transition): Promise<void> {
    const open = await this.d.c.instances
      .find({ workspaceId: t.workspaceId, flowId: b.flowId, contactId: t.contactId, openSlot: 'open' })
      .toArray();
    for (const inst of open) await this.d.stop(inst, `${t.kind} "${b.segmentName}" (transition ${t._id})`);
  }

  /** Inserts pending instances in one write and moves them on; a refused one is a redelivery or a taken slot. */
  private async record(fresh: { inst: FlowInstance; binding: FlowBinding }[]): Promise<void> {
    if (fresh.length === 0) return;
    let refused = new Set<number>();
    try {
      await this.d.c.instances.insertMany(
        fresh.map((f) => f.inst),
        { ordered: false },
      );
    } catch (err) {
      refused = refusedAsDuplicates(err);
    }
    for (const [i, { inst, binding }] of fresh.entries()) {
      if (!refused.has(i)) {
        this.d.kick(inst.workspaceId, inst._id);
        continue;
      }
      // This transition's own instance (a redelivery): make sure it moves on. Otherwise another
      // instance of the flow is open for the contact, and this entry starts nothing.
      const mine = await this.d.c.instances.findOne(
        { _id: inst._id, workspaceId: inst.workspaceId },
        { projection: { _id: 1 } },
      );
      if (mine) this.d.kick(inst.workspaceId, inst._id);
      else
        this.d.log.debug(
          { binding: binding._id, contactId: inst.contactId },
          'flows: already open, not started',
        );
    }
  }
}

/** The `pending` instance a transition starts for a binding (id = binding + transition: a redelivery is a duplicate). */
export function pendingInstance(
  b: Pick<FlowBinding, '_id' | 'flowId' | 'segmentName'>,
  t: Transition,
  now: Date,
): FlowInstance {
  return {
    _id: `${b._id}:${t._id}`,
    workspaceId: t.workspaceId,
    flowId: b.flowId,
    contactId: t.contactId,
    bindingId: b._id,
    status: 'pending',
    openSlot: 'open',
    trigger: { transitionId: t._id, segmentId: t.segmentId, kind: t.kind, at: t.at },
    snapshot: null,
    state: null,
    rev: 0,
    timers: [],
    nextWakeAt: now,
    dwellUntil: null,
    lockUntil: null,
    startedAt: null,
    createdAt: now,
    updatedAt: now,
    endedAt: null,
    history: [
      {
        at: now,
        kind: 'triggered',
        detail: `${t.kind} "${b.segmentName}" at ${t.at.toISOString()} (transition ${t._id}, cause ${t.cause})`,
      },
    ],
  };
}
