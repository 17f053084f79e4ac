/**
 * Reacts to segment transitions (the dispatcher's subscriber): stops what the transition stops,
 * then starts what it starts, subject to re-entry policy, dwell and one open instance per (flow,
 * contact). The handler only writes the instance (its durable intent) and returns; the first step
 * runs on a small in-process pool, and a recovery loop runs any a crashed process left unstarted.
 * The instance id is binding + transition id, so a redelivered transition is a no-op.
 */
import { mayStart, type PriorInstances } from '../../../flows/policy';
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
  /** Runs the first step soon (in-process pool). */
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
    for (const b of mine) if (b.on === t.kind) await this.startFor(b, t);
  }

  private async stopFor(b: FlowBinding, t: Transition): Promise<void> {
    const open = await this.d.c.instances
      .find({ workspaceId: t.workspaceId, flowId: b.flowId, contactId: t.contactId, openSlot: 'open' })
      .toArray();
    for (const inst of open) await this.d.stop(inst, `${t.kind} "${b.segmentName}" (transition ${t._id})`);
  }

  private async startFor(b: FlowBinding, t: Transition): Promise<void> {
    const id = `${b._id}:${t._id}`;
    const ws = t.workspaceId;
    const existing = await this.d.c.instances.findOne(
      { _id: id, workspaceId: ws },
      { projection: { status: 1, rev: 1 } },
    );
    if (existing) {
      if (existing.status === 'running' && existing.rev === 0) this.d.kick(ws, id);
      return;
    }
    const now = this.d.clock();
    const decision = mayStart(b.reentry, await this.prior(b, t), now.getTime());
    if (!decision.start) {
      this.d.log.debug(
        { binding: b._id, contactId: t.contactId, reason: decision.reason },
        'flows: not started',
      );
      return;
    }
    const dwellMs = Math.round(b.dwellMs * this.d.timeScale);
    const dwellUntil = dwellMs > 0 ? new Date(Date.now() + dwellMs) : null; // Agenda's (real) time
    const inst: FlowInstance = {
      _id: id,
      workspaceId: ws,
      flowId: b.flowId,
      contactId: t.contactId,
      bindingId: b._id,
      status: dwellUntil ? 'dwelling' : 'running',
      openSlot: 'open',
      trigger: { transitionId: t._id, segmentId: t.segmentId, kind: t.kind, at: t.at },
      snapshot: null,
      state: null,
      rev: 0,
      timers: [],
      nextWakeAt: dwellUntil ?? now,
      dwellUntil,
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
        ...(dwellUntil
          ? [{ at: now, kind: 'dwell', detail: `starts if still there at ${dwellUntil.toISOString()}` }]
          : []),
      ],
    };
    try {
      await this.d.c.instances.insertOne(inst);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Either this transition's instance (a redelivery racing us) or another open one: both mean no start.
      return;
    }
    if (dwellUntil) await this.d.scheduleDwell(dwellUntil, ws, id);
    else {
      await recordStart(this.d.c, inst, now);
      this.d.kick(ws, id);
    }
  }

  /** Earlier starts from the per-(flow, contact) entry (one read by _id); a running one is refused by the slot index. */
  private async prior(b: FlowBinding, t: Transition): Promise<PriorInstances> {
    const e = await this.d.c.entries.findOne({ _id: entryId(t.workspaceId, b.flowId, t.contactId) });
    return { running: false, started: e?.started ?? 0, lastStartedAt: e ? e.lastStartedAt.getTime() : null };
  }
}

/** Counts a start for the re-entry policy (idempotent enough: a replayed start only moves `lastStartedAt`). */
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
