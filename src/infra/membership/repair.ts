/**
 * Recheck instants on a database written by an older release. Until issue 23, creating or
 * editing a segment whose rule moves with the clock gave recheck instants only to the contacts
 * that matched or were members, so a contact due to enter later had none and never entered.
 * Stored instants are otherwise trusted across restarts, so such a database would stay wrong
 * until each segment was edited: on the first start of a release whose RECHECK_VERSION is newer
 * than the database's, every time-dependent dynamic segment of every workspace is rebuilt once
 * (lease-guarded and resumable like any rebuild; the rebuild gives each candidate its instant).
 */
import type { Db } from 'mongodb';
import { dependsOnTime } from '../../rules';
import type { SegmentRepo } from '../repos/segments';
import type { SegmentCatalog } from './catalog';
import type { Rebuilder } from './rebuild';

/** Bump when a release changes which contacts get recheck instants: its first start re-derives them. */
export const RECHECK_VERSION = 1;
const MARKER = 'membership_recheck';

/** Requests the rebuilds if this database predates RECHECK_VERSION; returns how many. */
export async function requestRecheckRepair(
  db: Db,
  segments: Pick<SegmentRepo, 'workspacesWithDynamic'>,
  catalog: Pick<SegmentCatalog, 'get'>,
  rebuilder: Pick<Rebuilder, 'request'>,
): Promise<number> {
  const info = db.collection<{ _id: string; version?: number }>('system_info');
  if (((await info.findOne({ _id: MARKER }))?.version ?? 0) >= RECHECK_VERSION) return 0;
  let requested = 0;
  for (const workspaceId of await segments.workspacesWithDynamic()) {
    const ws = await catalog.get(workspaceId);
    for (const s of ws.dynamic) {
      if (!dependsOnTime(s.rule, ws.ctx)) continue;
      await rebuilder.request(workspaceId, s.id);
      requested++;
    }
  }
  // Set only once every rebuild is requested: a crash before this asks again on the next start.
  await info.updateOne({ _id: MARKER }, { $max: { version: RECHECK_VERSION } }, { upsert: true });
  return requested;
}
