/** The EventRepo contract on MongoDB (the only implementation). */
import { MongoEventRepo } from '../../src/infra/repos/events';
import { describeEventRepoContract } from './eventRepo.contract';
import { freshMongoDbs } from './mongoDbs';

const freshDb = freshMongoDbs('c_events');

describeEventRepoContract('MongoEventRepo', async () => {
  const db = freshDb();
  await MongoEventRepo.ensureIndexes(db);
  return new MongoEventRepo(db);
});
