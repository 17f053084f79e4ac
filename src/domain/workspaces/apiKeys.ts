/**
 * API keys: each belongs to one workspace and is stored only as its sha256. A key names its
 * workspace (`sgk_<base64url(workspaceId)>.<secret>`), so the lookup is scoped by workspace
 * like every other query. The default workspace also accepts the configured bootstrap key.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../../errors';

export const DEFAULT_WORKSPACE = 'default';
const WORKSPACE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const KEY_FORMAT = /^sgk_([A-Za-z0-9_-]{1,100})\.([A-Za-z0-9_-]{43})$/;

/** A stored key: never the key itself. */
export interface ApiKeyRecord {
  _id: string;
  workspaceId: string;
  name: string;
  hash: string;
  createdAt: Date;
  /** Set when revoked: the key stops working at once. */
  revokedAt?: Date | null;
}

/** A key as listed: never its hash. */
export type ApiKeyInfo = Omit<ApiKeyRecord, 'hash'>;

export interface ApiKeyRepo {
  newId(): string;
  insert(record: ApiKeyRecord): Promise<void>;
  /** Only keys that are not revoked. */
  findByHash(workspaceId: string, hash: string): Promise<ApiKeyRecord | null>;
  list(workspaceId: string): Promise<ApiKeyInfo[]>;
  /** False when the workspace has no such key (or it was revoked already). */
  revoke(workspaceId: string, id: string, at: Date): Promise<boolean>;
}

/** Returned once at creation: the plaintext key is not stored anywhere. */
export interface CreatedApiKey {
  id: string;
  workspaceId: string;
  name: string;
  key: string;
  createdAt: Date;
}

/** Who presented a key: its workspace and the key's digest (never the key), to check it again later. */
export interface KeyPrincipal {
  workspaceId: string;
  keyHash: string;
}

export const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export function isWorkspaceId(s: string): boolean {
  return WORKSPACE_ID.test(s);
}

export class ApiKeyService {
  private readonly adminDigest: Buffer | undefined;
  constructor(
    private readonly repo: ApiKeyRepo,
    adminApiKey?: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.adminDigest = adminApiKey === undefined ? undefined : sha256(adminApiKey);
  }

  /** Creates a key for a workspace; the plaintext is in the result and nowhere else. */
  async createApiKey(workspaceId: string, name: string): Promise<CreatedApiKey> {
    if (!isWorkspaceId(workspaceId)) {
      throw new ValidationError('workspaceId must be 1-64 characters of A-Z, a-z, 0-9, _ and -', {
        path: 'workspaceId',
      });
    }
    const trimmed = name.trim();
    if (trimmed.length < 1 || trimmed.length > 100) {
      throw new ValidationError('name must be 1-100 characters', { path: 'name' });
    }
    const secret = randomBytes(32).toString('base64url');
    const key = `sgk_${Buffer.from(workspaceId, 'utf8').toString('base64url')}.${secret}`;
    const record: ApiKeyRecord = {
      _id: this.repo.newId(),
      workspaceId,
      name: trimmed,
      hash: sha256(key).toString('hex'),
      createdAt: this.clock(),
    };
    await this.repo.insert(record);
    return { id: record._id, workspaceId, name: record.name, key, createdAt: record.createdAt };
  }

  /** Is this the configured bootstrap key (the only one allowed to manage workspaces and keys)? */
  isBootstrap(key: string): boolean {
    return Boolean(this.adminDigest && timingSafeEqual(sha256(key), this.adminDigest));
  }

  list(workspaceId: string): Promise<ApiKeyInfo[]> {
    return this.repo.list(workspaceId);
  }

  revoke(workspaceId: string, id: string): Promise<boolean> {
    return this.repo.revoke(workspaceId, id, this.clock());
  }

  /** The workspace a presented key belongs to, or null for an unknown key. */
  async authenticate(key: string): Promise<string | null> {
    return (await this.principal(key))?.workspaceId ?? null;
  }

  /** The workspace and digest of a presented key, or null for an unknown or revoked key. */
  async principal(key: string): Promise<KeyPrincipal | null> {
    const digest = sha256(key);
    // Equal-length digests, compared in constant time: the bootstrap key is a plain secret.
    if (this.adminDigest && timingSafeEqual(digest, this.adminDigest)) {
      return { workspaceId: DEFAULT_WORKSPACE, keyHash: digest.toString('hex') };
    }
    const m = KEY_FORMAT.exec(key);
    if (!m?.[1]) return null;
    const workspaceId = Buffer.from(m[1], 'base64url').toString('utf8');
    if (!isWorkspaceId(workspaceId)) return null;
    // A lookup by the hash of a 256-bit secret leaks nothing usable through timing.
    const record = await this.repo.findByHash(workspaceId, digest.toString('hex'));
    return record ? { workspaceId: record.workspaceId, keyHash: record.hash } : null;
  }

  /**
   * Is the key behind a principal still valid? What a key issued (a Direct Line token) dies with it:
   * revoked, or no longer the configured bootstrap key.
   */
  async isLive(p: KeyPrincipal): Promise<boolean> {
    const digest = Buffer.from(p.keyHash, 'hex');
    if (
      this.adminDigest &&
      digest.length === this.adminDigest.length &&
      timingSafeEqual(digest, this.adminDigest)
    )
      return p.workspaceId === DEFAULT_WORKSPACE;
    return (await this.repo.findByHash(p.workspaceId, p.keyHash)) !== null;
  }
}
