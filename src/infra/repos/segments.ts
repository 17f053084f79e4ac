/**
 * Segments in MongoDB. Every query is scoped by workspaceId; results are plain objects. A
 * per-workspace `generation` is bumped on every definition change so every process notices that
 * its compiled segments are stale with one indexed read.
 */
import type { Collection, Db } from 'mongodb';
import type { SegmentStore } from '../../domain/ports/segments';
import type { Segment } from '../../domain/segments/types';
import { ConflictError } from '../../errors';
import { isDuplicateKey } from './mongoErrors';

interface Generation {
  _id: string;
  generation: number;
}

export class SegmentRepo implements SegmentStore {
  private readonly segments: Collection<Segment>;
  private readonly generations: Collection<Generation>;

  constructor(db: Db) {
    this.segments = db.collection<Segment>('segments');
    this.generations = db.collection<Generation>('segment_generations');
  }

  async ensureIndexes(): Promise<void> {
    await this.segments.createIndex({ workspaceId: 1, nameKey: 1 }, { unique: true });
    await this.segments.createIndex({ workspaceId: 1, dependsOn: 1 });
  }

  list(workspaceId: string): Promise<Segment[]> {
    return this.segments.find({ workspaceId }).sort({ priority: -1, name: 1 }).toArray();
  }

  /**
   * Every workspace that has a dynamic segment: the one unscoped read, for start-up work across
   * workspaces (membership's recheck repair), which then reads each workspace scoped.
   */
  async workspacesWithDynamic(): Promise<string[]> {
    return (await this.segments.distinct('workspaceId', { type: 'dynamic' })).map(String);
  }

  get(workspaceId: string, id: string): Promise<Segment | null> {
    return this.segments.findOne({ workspaceId, _id: id });
  }

  getByName(workspaceId: string, name: string): Promise<Segment | null> {
    return this.segments.findOne({ workspaceId, nameKey: name.toLowerCase() });
  }

  dependents(workspaceId: string, id: string): Promise<Segment[]> {
    return this.segments.find({ workspaceId, dependsOn: id }).toArray();
  }

  async insert(segment: Segment): Promise<void> {
    try {
      await this.segments.insertOne(segment);
    } catch (err) {
      throw duplicateName(err, segment.name);
    }
    await this.bumpGeneration(segment.workspaceId);
  }

  /** Replaces a segment; returns false when it is gone. */
  async replace(segment: Segment): Promise<boolean> {
    try {
      const r = await this.segments.replaceOne(
        { workspaceId: segment.workspaceId, _id: segment._id },
        segment,
      );
      await this.bumpGeneration(segment.workspaceId);
      return r.matchedCount === 1;
    } catch (err) {
      throw duplicateName(err, segment.name);
    }
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const r = await this.segments.deleteOne({ workspaceId, _id: id });
    await this.bumpGeneration(workspaceId);
    return r.deletedCount === 1;
  }

  async generation(workspaceId: string): Promise<number> {
    return (await this.generations.findOne({ _id: workspaceId }))?.generation ?? 0;
  }

  private async bumpGeneration(workspaceId: string): Promise<void> {
    await this.generations.updateOne({ _id: workspaceId }, { $inc: { generation: 1 } }, { upsert: true });
  }
}

function duplicateName(err: unknown, name: string): unknown {
  if (!isDuplicateKey(err)) return err;
  return new ConflictError(`A segment named "${name}" already exists in this workspace`, { name });
}
