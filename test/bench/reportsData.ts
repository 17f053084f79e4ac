/**
 * The reports benchmark's history: synthetic transitions over the last 90 days for each segment
 * (a daily churn in proportion to its size, seeded), and a few hundred handoff requests, so the
 * history is not flat and the comparison has handoffs to count.
 */
import type { Db } from 'mongodb';
import type { Transition } from '../../src/domain/membership/transitions';
import { DAY_MS } from '../../src/domain/reports/history';
import { Rng } from '../support/rng';
import { contactId } from './membershipLoad';

export async function insertHistory(
  db: Db,
  workspaceId: string,
  sizes: ReadonlyMap<string, number>,
  contacts: number,
  now: Date,
  days = 90,
): Promise<number> {
  const r = new Rng(4242);
  const coll = db.collection<Transition>('segment_transitions');
  let seq = 0;
  let position = 0;
  let batch: Transition[] = [];
  let total = 0;
  const flush = async () => {
    if (batch.length > 0) await coll.insertMany(batch, { ordered: false });
    total += batch.length;
    batch = [];
  };
  for (const [segmentId, size] of sizes) {
    for (let d = days - 1; d >= 0; d--) {
      const dayStart = now.getTime() - d * DAY_MS - (now.getTime() % DAY_MS);
      const entered = Math.round(size * 0.002 * (0.5 + r.next()));
      const exited = Math.round(size * 0.0015 * (0.5 + r.next()));
      for (let i = 0; i < entered + exited; i++) {
        const at = new Date(Math.min(now.getTime() - 1, dayStart + Math.floor(r.next() * DAY_MS)));
        const contact = contactId(Math.floor(r.next() * contacts));
        seq++;
        batch.push({
          _id: `${contact}:b${seq}`,
          workspaceId,
          contactId: contact,
          segmentId,
          kind: i < entered ? 'entered' : 'exited',
          at,
          cause: 'contact',
          seq,
          position: ++position,
        });
        if (batch.length >= 5000) await flush();
      }
    }
  }
  await flush();
  return total;
}

export async function insertHandoffs(
  db: Db,
  workspaceId: string,
  n: number,
  contacts: number,
): Promise<void> {
  const r = new Rng(77);
  await db.collection('handoffs').insertMany(
    Array.from({ length: n }, (_, i) => ({
      _id: `h${i}`,
      workspaceId,
      contactId: contactId(Math.floor(r.next() * contacts)),
      status: 'ended',
      requestedAt: new Date(),
    })) as never[],
  );
}
