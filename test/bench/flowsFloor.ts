/**
 * The flows benchmark's floor: the database writes that starting N instances needs, done in bulk
 * (chunks of 1,000) by a bare loop with no runtime, no XState and no Agenda, on the same
 * collections and indexes. What the embedded database alone costs before any flow logic runs:
 * a start latency goal below it cannot be met by any runtime on this database.
 */
import { performance } from 'node:perf_hooks';
import type { Db } from 'mongodb';
import { pendingInstance } from '../../src/infra/flows/starter';
import { ensureFlowIndexes, entryId, flowCollections } from '../../src/infra/flows/store';

const CHUNK = 1000;
const WS = 'floor';

export interface FlowFloor {
  /** Milliseconds per kind of write, for all N instances. */
  insert: number;
  admit: number;
  counts: number;
  records: number;
  snapshots: number;
  total: number;
}

export async function flowWriteFloor(db: Db, n: number): Promise<FlowFloor> {
  const c = flowCollections(db);
  await ensureFlowIndexes(c);
  const now = new Date();
  const ids = Array.from({ length: n }, (_, i) => `floor-binding:f${i}:1`);
  const chunks = Array.from({ length: Math.ceil(n / CHUNK) }, (_, k) =>
    ids.slice(k * CHUNK, (k + 1) * CHUNK),
  );
  const time = async (write: (chunk: string[]) => Promise<unknown>): Promise<number> => {
    const t0 = performance.now();
    for (const chunk of chunks) await write(chunk);
    return performance.now() - t0;
  };
  // The runtime's own pending instance, so the floor writes the same documents.
  const binding = { _id: 'floor-binding', flowId: 'welcome', segmentName: 'Floor' };
  const instance = (id: string) =>
    pendingInstance(
      binding,
      {
        _id: `${id.split(':')[1]!}:1`,
        workspaceId: WS,
        contactId: id.split(':')[1]!,
        segmentId: 'seg',
        kind: 'entered',
        at: now,
        cause: 'contact',
        seq: 1,
        position: 1,
      },
      now,
    );
  const snapshot = JSON.stringify({
    status: 'active',
    value: 'wait1',
    context: { facts: { segments: ['Floor'] } },
  });
  const insert = await time((chunk) => c.instances.insertMany(chunk.map(instance), { ordered: false }));
  const admit = await time((chunk) =>
    c.instances.bulkWrite(
      chunk.map((id) => ({
        updateOne: {
          filter: { _id: id, rev: 0, status: 'pending' as const },
          update: {
            $set: { status: 'running' as const, lockUntil: new Date(Date.now() + 30_000), leaseBy: 'floor' },
          },
        },
      })),
      { ordered: false },
    ),
  );
  const counts = await time((chunk) =>
    c.entries.bulkWrite(
      chunk.map((id) => ({
        updateOne: {
          filter: { _id: entryId(WS, 'welcome', id.split(':')[1]!) },
          update: { $inc: { started: 1 }, $max: { lastStartedAt: now }, $setOnInsert: { workspaceId: WS } },
          upsert: true,
        },
      })),
      { ordered: false },
    ),
  );
  const records = await time(async (chunk) => {
    await c.steps.insertMany(
      chunk.map((id) => ({
        _id: `${id}:0:0`,
        workspaceId: WS,
        instanceId: id,
        contactId: id.split(':')[1]!,
        flowId: 'welcome',
        action: 'sendMessage',
        params: '{"template":"welcome-1"}',
        status: 'started' as const,
        startedAt: now,
        finishedAt: null,
      })),
      { ordered: false },
    );
    await c.steps.bulkWrite(
      chunk.map((id) => ({
        updateOne: {
          filter: { _id: `${id}:0:0` },
          update: { $set: { status: 'sent' as const, detail: 'welcome-1', finishedAt: now } },
        },
      })),
      { ordered: false },
    );
  });
  const snapshots = await time((chunk) =>
    c.instances.bulkWrite(
      chunk.map((id) => ({
        updateOne: {
          filter: { _id: id, rev: 0 },
          update: {
            $set: { snapshot, state: 'wait1', rev: 1, lockUntil: null, startedAt: now, updatedAt: now },
            $push: {
              history: {
                $each: [{ at: now, kind: 'sendMessage', detail: 'welcome-1', outcome: 'sent' as const }],
              },
            },
          },
        },
      })),
      { ordered: false },
    ),
  );
  return { insert, admit, counts, records, snapshots, total: insert + admit + counts + records + snapshots };
}
