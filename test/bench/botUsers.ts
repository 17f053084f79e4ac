/**
 * The simulated users of the bot benchmark: contacts picked from the membership benchmark's
 * loaded contacts (spread over the whole id range, a share of them VIP Customers members), each
 * talking as the channel identity the loader gave it (`webchat`, `u<i>`). The loader stores
 * `identities` but not the derived `identityKeys` the bot looks contacts up by, so those are set
 * on the picked contacts here; every other contact stays as loaded.
 */
import type { Db } from 'mongodb';
import { identityKey } from '../../src/infra/repos/contactKeys';
import type { ContactDoc } from '../../src/infra/membership/store';
import { contactId } from './membershipLoad';

export interface BenchUser {
  contactId: string;
  channelId: string;
  userId: string;
  name: string;
  vip: boolean;
}

const STRIDE = 7_919; // a prime: k × STRIDE mod n visits the id range evenly

/** `count` users, `vipCount` of them members of `vipSegmentId` (fewer if there are not enough). */
export async function prepareUsers(
  db: Db,
  workspaceId: string,
  contacts: number,
  vipSegmentId: string,
  count: number,
  vipCount: number,
): Promise<BenchUser[]> {
  const picks = new Set<number>();
  for (let k = 0; k < Math.min(contacts, 30 * count); k++) picks.add((k * STRIDE) % contacts);
  const ids = [...picks].map(contactId);
  const docs = await db
    .collection<ContactDoc>('contacts')
    .find({ _id: { $in: ids } }, { projection: { name: 1, identities: 1, segments: 1 } })
    .toArray();
  const byId = new Map(docs.map((d) => [d._id, d]));
  const ordered = ids.flatMap((id) => byId.get(id) ?? []);
  const isVip = (d: ContactDoc) => d.segments.some((m) => m.segmentId === vipSegmentId);
  const vips = ordered.filter(isVip).slice(0, vipCount);
  const others = ordered.filter((d) => !isVip(d)).slice(0, count - vips.length);
  const chosen = new Set([...vips, ...others].map((d) => d._id));
  // Back in id-spread order, so VIPs and others are mixed through the run.
  const users = ordered
    .filter((d) => chosen.has(d._id))
    .map((d): BenchUser => {
      const identity = d.identities[0];
      if (!identity) throw new Error(`bench contact ${d._id} has no channel identity`);
      return { contactId: d._id, ...identity, name: d.name ?? d._id, vip: isVip(d) };
    });
  const coll = db.collection('contacts');
  for (const u of users) {
    const keys = [identityKey(workspaceId, { channelId: u.channelId, userId: u.userId })];
    await coll.updateOne({ _id: u.contactId } as object, { $set: { identityKeys: keys } });
  }
  return users;
}
