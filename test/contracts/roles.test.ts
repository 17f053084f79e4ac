/** The RoleStore contract on MongoDB and on the handoff tests' in-memory fake. */
import { MongoRoleStore } from '../../bot/roles';
import { FakeRoles } from '../integration/handoff/harness';
import { freshMongoDbs } from './mongoDbs';
import { describeRoleStoreContract } from './roleStore.contract';

const freshDb = freshMongoDbs('c_roles');

describeRoleStoreContract('MongoRoleStore', async () => {
  const store = new MongoRoleStore(freshDb());
  await store.ensureIndexes();
  return store;
});

describeRoleStoreContract('FakeRoles (in memory)', () => new FakeRoles([]));
