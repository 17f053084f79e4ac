/** The WorkspaceRepo contract on MongoDB (the only implementation). */
import { MongoWorkspaceRepo } from '../../src/infra/repos/workspaces';
import { freshMongoDbs } from './mongoDbs';
import { describeWorkspaceRepoContract } from './workspaceRepo.contract';

const freshDb = freshMongoDbs('c_workspaces');

describeWorkspaceRepoContract('MongoWorkspaceRepo', () => new MongoWorkspaceRepo(freshDb()));
