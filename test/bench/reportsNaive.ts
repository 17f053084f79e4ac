/**
 * Baselines for the reports benchmark, written the straightforward way: the comparison table
 * by reading every member of each segment and averaging in JavaScript, and the daily history
 * by counting each day's entries and exits in the feed (two counts per day) from the live size.
 */
import type { Db } from 'mongodb';
import type { Contact } from '../../src/domain/contacts/types';
import type { Transition } from '../../src/domain/membership/transitions';
import { dayStart, DAY_MS, lastDays } from '../../src/domain/reports/history';
import type { CompareRow, DayPoint } from '../../src/domain/reports/types';
import type { Segment } from '../../src/domain/segments/types';

const avg = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export async function naiveCompare(
  db: Db,
  ws: string,
  segments: readonly Segment[],
): Promise<Omit<CompareRow, 'asOf'>[]> {
  const contacts = db.collection<Contact>('contacts');
  const handoffs = await db.collection<{ contactId: string }>('handoffs').find({ workspaceId: ws }).toArray();
  const rows: Omit<CompareRow, 'asOf'>[] = [];
  for (const s of segments) {
    const members = await contacts.find({ workspaceId: ws, 'segments.segmentId': s._id }).toArray();
    const ids = new Set(members.map((c) => c._id));
    const scores = members.flatMap((c) => (typeof c.leadScore === 'number' ? [c.leadScore] : []));
    rows.push({
      id: s._id,
      name: s.name,
      members: members.length,
      avgLifetimeValue: avg(members.map((c) => c.lifetimeValue)),
      avgLeadScore: avg(scores),
      conversationsPerMember: avg(members.map((c) => c.conversationCount)),
      handoffs: handoffs.filter((h) => ids.has(h.contactId)).length,
      optedOutShare: members.length ? members.filter((c) => c.optedOut).length / members.length : null,
      deliveryRate: null,
      replyRate: null,
    });
  }
  return rows;
}

export async function naiveHistory(
  db: Db,
  ws: string,
  segmentId: string,
  n: number,
  now: Date,
): Promise<DayPoint[]> {
  const t = db.collection<Transition>('segment_transitions');
  const size = await db
    .collection('contacts')
    .countDocuments({ workspaceId: ws, 'segments.segmentId': segmentId });
  const days = lastDays(now, n);
  const counts = await Promise.all(
    days.map(async (day) => {
      const at = { $gte: dayStart(day), $lt: new Date(dayStart(day).getTime() + DAY_MS) };
      const [entered, exited] = await Promise.all([
        t.countDocuments({ workspaceId: ws, segmentId, kind: 'entered', at }),
        t.countDocuments({ workspaceId: ws, segmentId, kind: 'exited', at }),
      ]);
      return { entered, exited };
    }),
  );
  const out: DayPoint[] = [];
  let later = size;
  for (let i = n - 1; i >= 0; i--) {
    const c = counts[i]!;
    out.unshift({ day: days[i]!, size: later, entered: c.entered, exited: c.exited });
    later = Math.max(0, later - (c.entered - c.exited));
  }
  return out;
}
