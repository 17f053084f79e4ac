/** ApiKeyRepo on the native driver (`api_keys` collection): hashes only, unique per hash. */
import { ObjectId, type Collection, type Db } from 'mongodb';
import type { ApiKeyRecord, ApiKeyRepo } from '../../domain/workspaces/apiKeys';

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
    return this.col.findOne({ workspaceId, hash });
  }
}
