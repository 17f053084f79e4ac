/** WorkspaceRepo on the native driver (`workspaces`, keyed by the workspace id). */
import type { Collection, Db } from 'mongodb';
import type { Workspace, WorkspaceRepo } from '../../domain/workspaces/workspaces';
import { isDuplicateKey } from './mongoErrors';

export class MongoWorkspaceRepo implements WorkspaceRepo {
  private readonly col: Collection<Workspace>;
  constructor(db: Db) {
    this.col = db.collection<Workspace>('workspaces');
  }

  async insert(w: Workspace): Promise<boolean> {
    try {
      await this.col.insertOne(w);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  get(id: string): Promise<Workspace | null> {
    return this.col.findOne({ _id: id });
  }

  list(): Promise<Workspace[]> {
    return this.col.find({}).sort({ _id: 1 }).limit(1000).toArray();
  }
}
