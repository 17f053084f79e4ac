/**
 * The RoleStore contract on MongoDB and on the in-memory store the handoff tests use (their
 * FakeRoles is MemoryRoleStore plus seeded agents; it is not imported here because the handoff
 * harness loads botbuilder, seconds of start-up for nothing).
 */
import { MongoRoleStore } from '../../bot/roles';
import { MemoryRoleStore } from '../support/memoryRoles';
import { freshMongoDbs } from './mongoDbs';
import { describeRoleStoreContract } from './roleStore.contract';

const freshDb = freshMongoDbs('c_roles');

describeRoleStoreContract('MongoRoleStore', async () => {
  const store = new MongoRoleStore(freshDb());
  await store.ensureIndexes();
  return store;
});

describeRoleStoreContract("MemoryRoleStore (the handoff tests' FakeRoles)", () => new MemoryRoleStore());
