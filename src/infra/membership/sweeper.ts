/**
 * Time-based transitions at their exact instant: every contact stores `nextRecheckAt` (the
 * earliest nextFlip of its segments); the sweeper claims due contacts through the index with
 * findOneAndUpdate (so N processes share the work without overlap) and re-evaluates them. The
 * claim pushes nextRecheckAt out by a lease, so a process killed mid-way is retried after it.
 * This is a system job across workspaces: the claim is the one query not scoped by workspace.
 */
import type { Clock } from '../../domain/membership/transitions';
import type { MembershipEngine } from './engine';
import type { MembershipCollections } from './store';

export interface SweeperOptions {
  batch?: number;
  concurrency?: number;
  leaseMs?: number;
}

export async function sweepDue(
  c: MembershipCollections,
  engine: Pick<MembershipEngine, 'evaluate'>,
  clock: Clock,
  opts: SweeperOptions = {},
): Promise<number> {
  const { batch = 500, concurrency = 8, leaseMs = 30_000 } = opts;
  // One probe first: on mongo-java-server, which does not use the nextRecheckAt index, an idle
  // tick would otherwise cost every worker a scan of the collection.
  if (!(await c.contacts.findOne({ nextRecheckAt: { $lte: clock() } }, { projection: { _id: 1 } }))) return 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (done < batch) {
      const now = clock();
      const due = await c.contacts.findOneAndUpdate(
        { nextRecheckAt: { $lte: now } },
        { $set: { nextRecheckAt: new Date(now.getTime() + leaseMs) } },
        { sort: { nextRecheckAt: 1 }, projection: { _id: 1, workspaceId: 1 } },
      );
      if (!due) return;
      done++;
      await engine.evaluate(due.workspaceId, due._id, 'time');
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done;
}
