/** ApiKeyRepo on the native driver (`api_keys` collection): hashes only, unique per hash. */
import { ObjectId, type Collection, type Db } from 'mongodb';
import type { ApiKeyInfo, ApiKeyRecord, ApiKeyRepo } from '../../domain/workspaces/apiKeys';

export class MongoApiKeyRepo implements ApiKeyRepo {
  private readonly col: Collection<ApiKeyRecord>;
  constructor(db: Db) {
    this.col = db.collection<ApiKeyRecord>('api_keys');
  }

  static async ensureIndexes(db: Db): Promise<void> {
    await db
      .collection('api_keys')
      .createIndexes([{ key: { workspaceId: 1, hash: 1 }, name: 'api_keys_hash_unique', unique: true }]);
  }

  newId(): string {
    return new ObjectId().toHexString();
  }

  async insert(record: ApiKeyRecord): Promise<void> {
    await this.col.insertOne(record);
  }

  findByHash(workspaceId: string, hash: string): Promise<ApiKeyRecord | null> {
    return this.col.findOne({ workspaceId, hash, revokedAt: null });
  }

  list(workspaceId: string): Promise<ApiKeyInfo[]> {
    return this.col
      .find({ workspaceId }, { projection: { hash: 0 } })
      .sort({ createdAt: 1 })
      .toArray();
  }

  async revoke(workspaceId: string, id: string, at: Date): Promise<boolean> {
    const r = await this.col.updateOne(
      { _id: id, workspaceId, revokedAt: null },
      { $set: { revokedAt: at } },
    );
    return r.matchedCount === 1;
  }
}
