/**
 * Reacts to segment transitions (the dispatcher's subscriber): stops what the transition stops,
 * then records a `pending` instance for each binding it starts: one insert, so the dispatcher,
 * which delivers transitions one at a time, moves on at once. Admission (re-entry policy, dwell)
 * and the first step run on a small in-process pool; a recovery loop finishes any a crash left.
 * The instance id is binding + transition id, so a redelivered transition is a no-op, and the
 * `openSlot` unique index keeps one open (pending, dwelling or running) instance per (flow, contact).
 */
import { mayStart } from '../../../flows/policy';
import type { Transition } from '../../domain/membership/transitions';
import type { Logger } from '../logger';
import { isDuplicateKey } from '../repos/mongoErrors';
import { bindsSegment, type BindingRepo } from './bindings';
import { entryId, type FlowBinding, type FlowCollections, type FlowInstance } from './store';

export interface StarterDeps {
  c: FlowCollections;
  bindings: BindingRepo;
  /** Lower-case name of a segment id (built-in bindings match by name). */
  segmentKey(ws: string, segmentId: string): Promise<string | undefined>;
  /** Moves an instance on soon (in-process pool): admission, then the first step. */
  kick(ws: string, instanceId: string): void;
  scheduleDwell(at: Date, ws: string, instanceId: string): Promise<string | null>;
  stop(inst: FlowInstance, why: string): Promise<boolean>;
  clock: () => Date;
  timeScale: number;
  log: Logger;
}

export class FlowStarter {
  constructor(private readonly d: StarterDeps) {}

  /** The dispatcher's subscriber. */
  async onTransition(t: Transition): Promise<void> {
    const all = await this.d.bindings.enabled(t.workspaceId);
    if (all.length === 0) return;
    const key = await this.d.segmentKey(t.workspaceId, t.segmentId);
    const mine = all.filter((b) => bindsSegment(b, t.segmentId, key));
    for (const b of mine) if (b.stopOnExit && b.on !== t.kind) await this.stopFor(b, t);
    for (const b of mine) if (b.on === t.kind) await this.record(b, t);
  }

  private async stopFor(b: FlowBinding, t: Transition): Promise<void> {
    const open = await this.d.c.instances
      .find({ workspaceId: t.workspaceId, flowId: b.flowId, contactId: t.contactId, openSlot: 'open' })
      .toArray();
    for (const inst of open) await this.d.stop(inst, `${t.kind} "${b.segmentName}" (transition ${t._id})`);
  }

  private async record(b: FlowBinding, t: Transition): Promise<void> {
    const id = `${b._id}:${t._id}`;
    const ws = t.workspaceId;
    const now = this.d.clock();
    const inst: FlowInstance = {
      _id: id,
      workspaceId: ws,
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
    try {
      await this.d.c.instances.insertOne(inst);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // This transition's own instance (a redelivery): make sure it moves on. Otherwise another
      // instance of the flow is open for the contact, and this entry starts nothing.
      const mine = await this.d.c.instances.findOne({ _id: id, workspaceId: ws }, { projection: { _id: 1 } });
      if (mine) this.d.kick(ws, id);
      else this.d.log.debug({ binding: b._id, contactId: t.contactId }, 'flows: already open, not started');
      return;
    }
    this.d.kick(ws, id);
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
    const decision = mayStart(binding.reentry, prior, now.getTime());
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
