/** The ApiKeyRepo contract on MongoDB (the only implementation). */
import { MongoApiKeyRepo } from '../../src/infra/repos/apiKeys';
import { describeApiKeyRepoContract } from './apiKeyRepo.contract';
import { freshMongoDbs } from './mongoDbs';

const freshDb = freshMongoDbs('c_keys');

describeApiKeyRepoContract('MongoApiKeyRepo', async () => {
  const db = freshDb();
  await MongoApiKeyRepo.ensureIndexes(db);
  return new MongoApiKeyRepo(db);
});
