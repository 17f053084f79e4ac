/**
 * Admission of `pending` instances (the runtime's start workers call it): the re-entry policy
 * against earlier starts, then either a dwell (an Agenda job decides later), running, or closed as
 * `skipped` with the reason in its history.
 */
import { mayStart } from '../../../flows/policy';
import { refusedAsDuplicates } from '../repos/mongoErrors';
import { entryId, leaseMany, type FlowBinding, type FlowCollections, type FlowInstance } from './store';

export interface AdmissionDeps {
  c: FlowCollections;
  scheduleDwell(at: Date, ws: string, instanceId: string): Promise<string | null>;
  clock: () => Date;
  timeScale: number;
}

export class FlowAdmission {
  constructor(private readonly d: AdmissionDeps) {}

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
    await recordStarts(this.d.c, [inst], now);
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

/**
 * Counts starts for the re-entry policy (`flow_entries`, one document per flow and contact), in one
 * write. Two first upserts of the same entry at once: one inserts, the other gets a duplicate key,
 * and is done again (the document exists by then, so it updates).
 */
export async function recordStarts(
  c: FlowCollections,
  insts: FlowInstance[],
  at: Date,
  retry = true,
): Promise<void> {
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
    const refused = refusedAsDuplicates(err);
    if (!retry) throw err;
    await recordStarts(
      c,
      [...refused].map((i) => insts[i]!),
      at,
      false,
    );
  }
}
