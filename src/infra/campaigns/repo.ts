/**
 * Campaigns and their runs in MongoDB (`campaigns`, `campaign_runs`). Plain objects out; every
 * filter carries `workspaceId`. Status changes are conditional updates, and a run is sent by one
 * process at a time under a lease (`leaseOwner`, `leaseUntil`) that its holder keeps renewing.
 */
import type { Collection, Db } from 'mongodb';
import type { CampaignStore } from '../../domain/campaigns/service';
import type { Campaign, CampaignRun, CampaignStatus, RunStatus } from '../../domain/campaigns/types';
import { ConflictError } from '../../errors';
import { isDuplicateKey } from '../repos/mongoErrors';

/** Drops undefined values: the driver would store them as null. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export class CampaignRepo implements CampaignStore {
  private readonly col: Collection<Campaign>;
  constructor(db: Db) {
    this.col = db.collection<Campaign>('campaigns');
  }

  async ensureIndexes(): Promise<void> {
    await this.col.createIndex({ workspaceId: 1, nameKey: 1 }, { unique: true });
  }

  async insert(campaign: Campaign): Promise<void> {
    try {
      await this.col.insertOne(defined(campaign));
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      throw new ConflictError(`A campaign named "${campaign.name}" already exists in this workspace`, {
        name: campaign.name,
      });
    }
  }

  get(workspaceId: string, id: string): Promise<Campaign | null> {
    return this.col.findOne({ workspaceId, _id: id });
  }

  getByName(workspaceId: string, name: string): Promise<Campaign | null> {
    return this.col.findOne({ workspaceId, nameKey: name.trim().toLowerCase() });
  }

  list(workspaceId: string): Promise<Campaign[]> {
    return this.col.find({ workspaceId }).sort({ createdAt: -1, _id: 1 }).limit(500).toArray();
  }

  transition(
    workspaceId: string,
    id: string,
    from: readonly CampaignStatus[],
    patch: Partial<Campaign>,
  ): Promise<Campaign | null> {
    return this.col.findOneAndUpdate(
      { workspaceId, _id: id, status: { $in: [...from] } },
      { $set: defined(patch) },
      { returnDocument: 'after' },
    );
  }
}

export class RunRepo {
  private readonly col: Collection<CampaignRun>;
  constructor(db: Db) {
    this.col = db.collection<CampaignRun>('campaign_runs');
  }

  async ensureIndexes(): Promise<void> {
    await this.col.createIndex({ workspaceId: 1, campaignId: 1, createdAt: -1 });
  }

  /** Inserts the run; false when a run with that id exists already (an occurrence retried). */
  async insert(run: CampaignRun): Promise<boolean> {
    try {
      await this.col.insertOne(run);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  get(workspaceId: string, id: string): Promise<CampaignRun | null> {
    return this.col.findOne({ workspaceId, _id: id });
  }

  async setStatus(
    workspaceId: string,
    id: string,
    from: readonly RunStatus[],
    status: RunStatus,
    extra: Partial<CampaignRun> = {},
  ): Promise<boolean> {
    const r = await this.col.updateOne(
      { workspaceId, _id: id, status: { $in: [...from] } },
      { $set: { ...defined(extra), status } },
    );
    return r.modifiedCount === 1;
  }

  async snapshotDone(workspaceId: string, id: string, total: number): Promise<void> {
    await this.col.updateOne({ workspaceId, _id: id }, { $set: { snapshotDone: true, total } });
  }

  /** Takes the run's lease if it is free or expired; the run as it is then, or null. */
  acquire(workspaceId: string, id: string, owner: string, now: Date, lockMs: number) {
    return this.col.findOneAndUpdate(
      {
        workspaceId,
        _id: id,
        $or: [{ leaseUntil: { $exists: false } }, { leaseUntil: { $lt: now } }],
      },
      { $set: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + lockMs) } },
      { returnDocument: 'after' },
    );
  }

  /** Extends the lease; false when another process has taken it (this one must stop). */
  async renew(workspaceId: string, id: string, owner: string, until: Date): Promise<boolean> {
    const r = await this.col.updateOne(
      { workspaceId, _id: id, leaseOwner: owner },
      { $set: { leaseUntil: until } },
    );
    return r.matchedCount === 1;
  }

  async release(workspaceId: string, id: string, owner: string): Promise<void> {
    await this.col.updateOne(
      { workspaceId, _id: id, leaseOwner: owner },
      { $set: { leaseUntil: new Date(0) } },
    );
  }
}
