/** The SegmentStore contract on MongoDB (the only implementation; no test fakes it). */
import { SegmentRepo } from '../../src/infra/repos/segments';
import { freshMongoDbs } from './mongoDbs';
import { describeSegmentStoreContract } from './segmentStore.contract';

const freshDb = freshMongoDbs('c_segments');

describeSegmentStoreContract('SegmentRepo (MongoDB)', async () => {
  const repo = new SegmentRepo(freshDb());
  await repo.ensureIndexes();
  return repo;
});
