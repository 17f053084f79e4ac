/**
 * Workspaces (tenants) and their keys, managed with the bootstrap key only: create a workspace
 * (its first key is returned once), add keys, list them (never a secret or hash), revoke one.
 */
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { isWorkspaceId, type ApiKeyInfo, type ApiKeyService, type CreatedApiKey } from './apiKeys';

export interface Workspace {
  _id: string;
  name: string;
  createdAt: Date;
}

export interface WorkspaceRepo {
  /** False when the id is taken. */
  insert(w: Workspace): Promise<boolean>;
  get(id: string): Promise<Workspace | null>;
  list(): Promise<Workspace[]>;
}

export class WorkspaceService {
  constructor(
    private readonly repo: WorkspaceRepo,
    private readonly keys: ApiKeyService,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async create(id: unknown, name: unknown): Promise<{ workspace: Workspace; key: CreatedApiKey }> {
    if (typeof id !== 'string' || !isWorkspaceId(id)) {
      throw new ValidationError('id must be 1-64 characters of A-Z, a-z, 0-9, _ and -', { field: 'id' });
    }
    const label = typeof name === 'string' && name.trim() ? name.trim().slice(0, 100) : id;
    const workspace: Workspace = { _id: id, name: label, createdAt: this.clock() };
    if (!(await this.repo.insert(workspace))) throw new ConflictError(`Workspace "${id}" exists already`);
    return { workspace, key: await this.keys.createApiKey(id, 'first key') };
  }

  list(): Promise<Workspace[]> {
    return this.repo.list();
  }

  async addKey(id: string, name: unknown): Promise<CreatedApiKey> {
    await this.mustExist(id);
    return this.keys.createApiKey(id, typeof name === 'string' && name.trim() ? name : 'key');
  }

  async keysOf(id: string): Promise<ApiKeyInfo[]> {
    await this.mustExist(id);
    return this.keys.list(id);
  }

  async revoke(id: string, keyId: string): Promise<void> {
    if (!(await this.keys.revoke(id, keyId))) throw new NotFoundError('key', keyId);
  }

  private async mustExist(id: string): Promise<void> {
    if (!(await this.repo.get(id))) throw new NotFoundError('workspace', id);
  }
}
