/** The ContactRepo contract on MongoDB (the only implementation). */
import { MongoContactRepo } from '../../src/infra/repos/contacts';
import { describeContactRepoContract } from './contactRepo.contract';
import { freshMongoDbs } from './mongoDbs';

const freshDb = freshMongoDbs('c_contacts');

describeContactRepoContract('MongoContactRepo', async () => {
  const db = freshDb();
  await MongoContactRepo.ensureIndexes(db);
  return new MongoContactRepo(db);
});
