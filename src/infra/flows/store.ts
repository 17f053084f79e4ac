/**
 * The workflow collections (DESIGN §3.6) and their documents:
 * - `flow_bindings`: which segment transition starts which flow, with re-entry and dwell;
 * - `flow_instances`: one per started (or dwelling) flow per contact, the XState snapshot as a JSON
 *   string, a revision for compare-and-set, the pending timers (Agenda job ids) and the history;
 *   `openSlot` is "open" while dwelling or running, so a unique index allows one per (flow, contact);
 * - `flow_steps`: one record per effect, keyed by instance + revision + action index, written
 *   before the effect and completed after it: a crash in between leaves `started` → `unknown`.
 */
import { randomUUID } from 'node:crypto';
import type { Collection, Db, Filter } from 'mongodb';
import type { BindingSpec } from '../../../flows';

export interface FlowBinding extends BindingSpec {
  _id: string;
  workspaceId: string;
  /** Set when the binding names a segment by id; built-ins match by name (the seed creates them later). */
  segmentId: string | null;
  segmentKey: string;
  enabled: boolean;
  builtIn: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** pending → (skipped | dwelling → (running | dropped) | running) → done | cancelled | failed. */
export type InstanceStatus =
  'pending' | 'skipped' | 'dwelling' | 'running' | 'done' | 'cancelled' | 'dropped' | 'failed';

export interface HistoryEntry {
  at: Date;
  /** started | step | wait | stopped | dropped | failed | ... */
  kind: string;
  detail: string;
  outcome?: StepOutcome;
}

export interface PendingTimer {
  sendId: string;
  eventType: string;
  dueAt: Date;
  jobId: string | null;
}

export interface FlowInstance {
  _id: string;
  workspaceId: string;
  flowId: string;
  contactId: string;
  bindingId: string;
  status: InstanceStatus;
  openSlot: string;
  /** The transition that started it: the dispatcher's key, so a redelivery is a no-op. */
  trigger: { transitionId: string; segmentId: string; kind: 'entered' | 'exited'; at: Date };
  /** XState persisted snapshot, JSON (no `.`/`$` keys can reach the database). Null until started. */
  snapshot: string | null;
  state: string | null;
  rev: number;
  timers: PendingTimer[];
  nextWakeAt: Date | null;
  /** When the dwell ends (dwelling only). */
  dwellUntil: Date | null;
  /** Step lease: one process steps an instance at a time (`{_id, rev, lockUntil}` is unique: claims hit it). */
  lockUntil: Date | null;
  /** The batch admission that leased it (proves which of a bulk write's updates applied). */
  leaseBy?: string;
  startedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  endedAt: Date | null;
  history: HistoryEntry[];
}

export type StepOutcome = 'sent' | 'skipped' | 'failed' | 'unknown' | 'done';

export interface StepRecord {
  /** `${instanceId}:${rev}:${index}`: the idempotency key of one effect. */
  _id: string;
  workspaceId: string;
  instanceId: string;
  contactId: string;
  flowId: string;
  action: string;
  params: string;
  status: 'started' | StepOutcome;
  detail?: string;
  startedAt: Date;
  finishedAt: Date | null;
}

/** Per (flow, contact): how often it started and when last, for re-entry policies (one read by _id). */
export interface FlowEntry {
  _id: string;
  workspaceId: string;
  started: number;
  lastStartedAt: Date;
}

export const entryId = (ws: string, flowId: string, contactId: string): string =>
  JSON.stringify([ws, flowId, contactId]);

export interface FlowCollections {
  bindings: Collection<FlowBinding>;
  instances: Collection<FlowInstance>;
  steps: Collection<StepRecord>;
  entries: Collection<FlowEntry>;
}

export function flowCollections(db: Db): FlowCollections {
  return {
    bindings: db.collection<FlowBinding>('flow_bindings'),
    instances: db.collection<FlowInstance>('flow_instances'),
    steps: db.collection<StepRecord>('flow_steps'),
    entries: db.collection<FlowEntry>('flow_entries'),
  };
}

export async function ensureFlowIndexes(c: FlowCollections): Promise<void> {
  await c.bindings.createIndex({ workspaceId: 1, flowId: 1, segmentKey: 1, on: 1 }, { unique: true });
  await c.bindings.createIndex({ workspaceId: 1, enabled: 1 });
  // One open instance per (flow, contact); closed ones get `closed:<_id>`.
  await c.instances.createIndex({ workspaceId: 1, flowId: 1, contactId: 1, openSlot: 1 }, { unique: true });
  // Lookups by id within a workspace, and compare-and-set on the revision: exact unique keys, so
  // mongo-java-server serves them from an index too (it scans for anything else).
  await c.instances.createIndex({ _id: 1, workspaceId: 1 }, { unique: true });
  await c.instances.createIndex({ _id: 1, rev: 1 }, { unique: true });
  await c.instances.createIndex({ _id: 1, rev: 1, lockUntil: 1 }, { unique: true });
  await c.instances.createIndex({ workspaceId: 1, contactId: 1, createdAt: -1 });
  await c.instances.createIndex({ workspaceId: 1, flowId: 1, createdAt: -1 });
  // Recovery: running instances whose step was interrupted.
  await c.instances.createIndex({ status: 1, updatedAt: 1 });
  await c.instances.createIndex({ status: 1, dwellUntil: 1 });
  // Timers: running instances with a timer due (flow.tick and recovery).
  await c.instances.createIndex({ status: 1, 'timers.dueAt': 1 });
  await c.steps.createIndex({ instanceId: 1, startedAt: 1 });
}

/**
 * A compare-and-set on many instances in one unordered write (`filterOf` each, `set` on all),
 * which also stamps a fresh `leaseBy` token: bulk results do not say which updates applied, the
 * token on the document does, read back only when fewer applied. Returns those that applied.
 */
export async function leaseMany(
  instances: Collection<FlowInstance>,
  insts: FlowInstance[],
  filterOf: (inst: FlowInstance) => Filter<FlowInstance>,
  set: Partial<FlowInstance>,
): Promise<FlowInstance[]> {
  if (insts.length === 0) return [];
  const token = randomUUID();
  const r = await instances.bulkWrite(
    insts.map((inst) => ({
      updateOne: { filter: filterOf(inst), update: { $set: { ...set, leaseBy: token } } },
    })),
    { ordered: false },
  );
  if (r.modifiedCount === insts.length) return insts;
  const ours = await instances
    .find({ _id: { $in: insts.map((i) => i._id) }, leaseBy: token }, { projection: { _id: 1 } })
    .toArray();
  const mine = new Set(ours.map((o) => o._id));
  return insts.filter((i) => mine.has(i._id));
}
