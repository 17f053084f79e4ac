/**
 * Reacts to segment transitions (the dispatcher's batch subscriber): stops what a transition
 * stops, and records a `pending` instance for each binding it starts, a batch's in one insert, so
 * the dispatcher moves on at once. Admission (re-entry policy, dwell) and the first step run in
 * batches on the runtime's start workers; a recovery loop finishes any a crash left.
 * The instance id is binding + transition id, so a redelivered transition is a no-op, and the
 * `openSlot` unique index keeps one open (pending, dwelling or running) instance per (flow, contact).
 */
import { mayStart } from '../../../flows/policy';
import type { Transition } from '../../domain/membership/transitions';
import type { Logger } from '../logger';
import { isDuplicateKey, refusedAsDuplicates } from '../repos/mongoErrors';
import { bindsSegment, type BindingRepo } from './bindings';
import { entryId, leaseMany, type FlowBinding, type FlowCollections, type FlowInstance } from './store';

export interface StarterDeps {
  c: FlowCollections;
  bindings: BindingRepo;
  /** Lower-case name of a segment id (built-in bindings match by name). */
  segmentKey(ws: string, segmentId: string): Promise<string | undefined>;
  /** Moves an instance on soon (the runtime's start workers): admission, then the first step. */
  kick(ws: string, instanceId: string): void;
  scheduleDwell(at: Date, ws: string, instanceId: string): Promise<string | null>;
  stop(inst: FlowInstance, why: string): Promise<boolean>;
  clock: () => Date;
  timeScale: number;
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

  /**
   * A pending instance's admission: the re-entry policy against earlier starts, then either a
   * dwell (an Agenda job decides later) or running. Admitted to run, it comes back leased for its
   * first step (`leaseMs`, real time), so the step needs no claim of its own; null otherwise.
   */
  async admit(
    inst: FlowInstance,
    binding: FlowBinding | undefined,
    leaseMs: number,
  ): Promise<FlowInstance | null> {
    if (inst.status !== 'pending') return null;
    const now = this.d.clock();
    if (!binding) return (await this.close(inst, 'the binding no longer exists'), null);
    const e = await this.d.c.entries.findOne({ _id: entryId(inst.workspaceId, inst.flowId, inst.contactId) });
    const prior = {
      running: false,
      started: e?.started ?? 0,
      lastStartedAt: e ? e.lastStartedAt.getTime() : null,
    };
    const decision = mayStart(binding.reentry, prior, now.getTime(), this.d.timeScale);
    if (!decision.start) return (await this.close(inst, decision.reason), null);
    const dwellMs = Math.round(binding.dwellMs * this.d.timeScale);
    const dwellUntil = dwellMs > 0 ? new Date(Date.now() + dwellMs) : null; // Agenda's (real) time
    const lockUntil = dwellUntil ? null : new Date(Date.now() + leaseMs);
    const res = await this.d.c.instances.updateOne(
      // Pending and at revision 0: two processes admitting it at once cannot both succeed.
      { _id: inst._id, rev: 0, status: 'pending' },
      {
        $set: {
          status: dwellUntil ? 'dwelling' : 'running',
          dwellUntil,
          nextWakeAt: dwellUntil ?? now,
          lockUntil,
          updatedAt: now,
        },
        ...(dwellUntil
          ? {
              $push: {
                history: {
                  at: now,
                  kind: 'dwell',
                  detail: `starts if still there at ${dwellUntil.toISOString()}`,
                },
              },
            }
          : {}),
      },
    );
    if (res.modifiedCount === 0) return null;
    if (dwellUntil) {
      await this.d.scheduleDwell(dwellUntil, inst.workspaceId, inst._id);
      return null;
    }
    await recordStart(this.d.c, inst, now);
    return { ...inst, status: 'running', dwellUntil: null, nextWakeAt: now, lockUntil, updatedAt: now };
  }

  /**
   * `admit` for many pending instances of one workspace: one read of their re-entry records, one
   * write admitting every one the policy lets run (a per-batch token proves which writes applied,
   * since bulk results do not say per item), one write counting the starts. Dwells and refusals
   * go through the one-by-one path. Returns the instances admitted and leased for their first step.
   */
  async admitMany(insts: FlowInstance[], bindings: FlowBinding[], leaseMs: number): Promise<FlowInstance[]> {
    const pending = insts.filter((i) => i.status === 'pending');
    if (pending.length === 0) return [];
    const now = this.d.clock();
    const entries = await this.d.c.entries
      .find({ _id: { $in: pending.map((i) => entryId(i.workspaceId, i.flowId, i.contactId)) } })
      .toArray();
    const prior = new Map(entries.map((e) => [e._id, e]));
    const runnable: FlowInstance[] = [];
    const singles: FlowInstance[] = [];
    for (const inst of pending) {
      const binding = bindings.find((b) => b._id === inst.bindingId);
      const e = prior.get(entryId(inst.workspaceId, inst.flowId, inst.contactId));
      const decision = binding
        ? mayStart(
            binding.reentry,
            { running: false, started: e?.started ?? 0, lastStartedAt: e ? e.lastStartedAt.getTime() : null },
            now.getTime(),
            this.d.timeScale,
          )
        : null;
      if (binding && decision?.start && Math.round(binding.dwellMs * this.d.timeScale) === 0)
        runnable.push(inst);
      else {
        // Refused or dwelling: rare, one by one.
        const one = await this.admit(inst, binding, leaseMs);
        if (one) singles.push(one);
      }
    }
    if (runnable.length === 0) return singles;
    const set = {
      status: 'running' as const,
      dwellUntil: null,
      nextWakeAt: now,
      lockUntil: new Date(Date.now() + leaseMs),
      updatedAt: now,
    };
    const admitted = await leaseMany(
      this.d.c.instances,
      runnable,
      (inst) => ({ _id: inst._id, rev: 0, status: 'pending' }),
      set,
    );
    await recordStarts(this.d.c, admitted, now);
    return [...admitted.map((inst) => ({ ...inst, ...set })), ...singles];
  }

  /** Not admitted: closed as `skipped`, with the reason in its history (explain shows it). */
  private async close(inst: FlowInstance, reason: string): Promise<void> {
    const now = this.d.clock();
    await this.d.c.instances.updateOne(
      { _id: inst._id, rev: inst.rev },
      {
        $set: {
          status: 'skipped',
          openSlot: `closed:${inst._id}`,
          rev: inst.rev + 1,
          nextWakeAt: null,
          endedAt: now,
          updatedAt: now,
        },
        $push: { history: { at: now, kind: 'skipped', detail: reason } },
      },
    );
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

/** `recordStart` for many instances in one write; a first-upsert race is redone one by one. */
async function recordStarts(c: FlowCollections, insts: FlowInstance[], at: Date): Promise<void> {
  if (insts.length === 0) return;
  try {
    await c.entries.bulkWrite(
      insts.map((inst) => ({
        updateOne: {
          filter: { _id: entryId(inst.workspaceId, inst.flowId, inst.contactId) },
          update: {
            $inc: { started: 1 },
            $max: { lastStartedAt: at },
            $setOnInsert: { workspaceId: inst.workspaceId },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  } catch (err) {
    for (const i of refusedAsDuplicates(err)) await recordStart(c, insts[i]!, at);
  }
}

/** Counts a start for the re-entry policy (`flow_entries`, one document per flow and contact). */
export async function recordStart(c: FlowCollections, inst: FlowInstance, at: Date): Promise<void> {
  const write = () =>
    c.entries.updateOne(
      { _id: entryId(inst.workspaceId, inst.flowId, inst.contactId) },
      { $inc: { started: 1 }, $max: { lastStartedAt: at }, $setOnInsert: { workspaceId: inst.workspaceId } },
      { upsert: true },
    );
  try {
    await write();
  } catch (err) {
    // Two first upserts at once: one inserts, the other gets a duplicate key and updates instead.
    if (!isDuplicateKey(err)) throw err;
    await write();
  }
}
