/**
 * Uniqueness per workspace without partial indexes. mongo-java-server ignores
 * `partialFilterExpression`, and a compound sparse index still indexes every document that has
 * `workspaceId`, so contacts without an email would collide on `{workspaceId, email: null}`.
 * Instead each contact stores derived keys that embed the workspace, in single-field **sparse**
 * unique indexes (a document without the field is not indexed: same on both servers).
 * `identityKeys` is multikey with one key per identity, so a pair is unique as a pair.
 */
import type { Db, IndexDescription } from 'mongodb';
import type { ContactFields } from '../../domain/contacts/repo';
import type { ChannelIdentity } from '../../domain/contacts/types';

/** Stored next to the contact; never returned by the repository. */
export interface ContactKeys {
  externalIdKey?: string;
  emailKey?: string;
  identityKeys?: string[];
  /** The tags lower-cased: GET /contacts?tag= matches them exactly, from an index. */
  tagKeys?: string[];
}

/** Index name → the field a duplicate on it means (for ConflictError details). */
export const UNIQUE_INDEX_FIELDS: Record<string, string> = {
  contacts_externalId_unique: 'externalId',
  contacts_email_unique: 'email',
  contacts_identity_unique: 'identity',
};

export const CONTACT_INDEXES: IndexDescription[] = [
  { key: { externalIdKey: 1 }, name: 'contacts_externalId_unique', unique: true, sparse: true },
  { key: { emailKey: 1 }, name: 'contacts_email_unique', unique: true, sparse: true },
  { key: { identityKeys: 1 }, name: 'contacts_identity_unique', unique: true, sparse: true },
  // Keyset pagination and every by-id lookup within a workspace.
  { key: { workspaceId: 1, _id: 1 }, name: 'contacts_workspace_id' },
];

export const key = (workspaceId: string, ...parts: string[]): string =>
  JSON.stringify([workspaceId, ...parts]);
export const identityKey = (workspaceId: string, i: ChannelIdentity): string =>
  key(workspaceId, i.channelId, i.userId);

/** The keys for these fields; absent ones are to be unset. */
export function keysOf(workspaceId: string, f: ContactFields): ContactKeys {
  return {
    externalIdKey: f.externalId === undefined ? undefined : key(workspaceId, f.externalId),
    emailKey: f.email === undefined ? undefined : key(workspaceId, f.email),
    identityKeys:
      f.identities.length === 0 ? undefined : f.identities.map((i) => identityKey(workspaceId, i)),
    tagKeys: f.tags.map((t) => t.toLowerCase()),
  };
}

/** Hidden from callers: repositories return the contact, not its bookkeeping. */
export const HIDDEN = {
  externalIdKey: 0,
  emailKey: 0,
  identityKeys: 0,
  tagKeys: 0,
  appliedEventIds: 0,
  writeToken: 0,
  ticketLedger: 0,
  dealLedger: 0,
} as const;

export async function ensureContactIndexes(db: Db): Promise<void> {
  await db.collection('contacts').createIndexes(CONTACT_INDEXES);
}
