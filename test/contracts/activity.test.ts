/** The ActivityStore contract on MongoDB (the only implementation), with the contacts it writes on. */
import { ContactActivityRepo } from '../../src/infra/repos/contactActivity';
import { MongoContactRepo } from '../../src/infra/repos/contacts';
import { describeActivityStoreContract } from './activityStore.contract';
import { freshMongoDbs } from './mongoDbs';

const freshDb = freshMongoDbs('c_activity');

describeActivityStoreContract('ContactActivityRepo (MongoDB)', async () => {
  const db = freshDb();
  await MongoContactRepo.ensureIndexes(db);
  return {
    activity: new ContactActivityRepo(db),
    contacts: new MongoContactRepo(db),
    settle: async (workspaceId, contactId, nextRecheckAt) => {
      await db
        .collection('contacts')
        .updateOne({ workspaceId, _id: contactId as never }, { $set: { nextRecheckAt } });
    },
  };
});
