/** The CampaignStore contract on MongoDB (the only implementation). */
import { CampaignRepo } from '../../src/infra/campaigns/repo';
import { describeCampaignStoreContract } from './campaignStore.contract';
import { freshMongoDbs } from './mongoDbs';

const freshDb = freshMongoDbs('c_campaigns');

describeCampaignStoreContract('CampaignRepo (MongoDB)', async () => {
  const repo = new CampaignRepo(freshDb());
  await repo.ensureIndexes();
  return repo;
});
