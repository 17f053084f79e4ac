/**
 * The first run's way in. On a database whose bot workspace does not exist yet, `npm start`
 * creates it with its first API key (through the workspace service, like `npm run workspace --
 * create`), writes the key to DATA_DIR/admin-key.txt (mode 0600, readable by this user only) and
 * shows it once. Later runs point to the file. With ADMIN_API_KEY configured no key is made:
 * that key signs in to the default workspace.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { ConflictError } from '../errors';
import type { WorkspaceService } from '../domain/workspaces/workspaces';

export const SIGN_IN_KEY_FILE = 'admin-key.txt';

export type SignInKey =
  /** This run created the workspace: the key is shown now and never again. */
  | { kind: 'created'; workspaceId: string; key: string; file: string | null; writeError?: string }
  /** The key was made by an earlier run and is in the file. */
  | { kind: 'file'; workspaceId: string; file: string }
  /** ADMIN_API_KEY is configured: it is the way in. */
  | { kind: 'admin-key' }
  /** The workspace exists (made another way) and no key file is here. */
  | { kind: 'none'; workspaceId: string; file: string };

export async function ensureSignInKey(
  config: Pick<Config, 'adminApiKey' | 'dataDir'> & { bot: Pick<Config['bot'], 'workspaceId'> },
  workspaces: Pick<WorkspaceService, 'create'>,
): Promise<SignInKey> {
  if (config.adminApiKey) return { kind: 'admin-key' };
  const workspaceId = config.bot.workspaceId;
  const file = path.join(config.dataDir, SIGN_IN_KEY_FILE);
  let key: string;
  try {
    ({ key } = (await workspaces.create(workspaceId, workspaceId)).key);
  } catch (err) {
    // It exists: made by an earlier run (the file has its key) or by an operator.
    if (!(err instanceof ConflictError)) throw err;
    return fs.existsSync(file) ? { kind: 'file', workspaceId, file } : { kind: 'none', workspaceId, file };
  }
  try {
    fs.mkdirSync(config.dataDir, { recursive: true });
    // `wx`: never overwrite a file someone else put there; the mode applies as the file is made.
    fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return { kind: 'created', workspaceId, key, file };
  } catch (err) {
    // The key exists and works; it is shown, only the copy on disk is missing.
    return { kind: 'created', workspaceId, key, file: null, writeError: (err as Error).message };
  }
}

/** What `npm start` prints about signing in, once it listens at `url`. */
export function signInMessage(k: SignInKey, url: string): string {
  const rule = '-'.repeat(72);
  const lines = [rule, `Segments is running. Console: ${url}   Chat: npm run chat`];
  if (k.kind === 'created') {
    lines.push(`Sign-in key for workspace "${k.workspaceId}" (shown this once):`, '', `  ${k.key}`, '');
    lines.push(
      k.file
        ? `It is also saved in ${k.file} (readable only by you).`
        : `It could not be saved (${k.writeError ?? 'unknown error'}): copy it now.`,
    );
  } else if (k.kind === 'file') {
    lines.push(`Sign in with the key in ${k.file}`);
  } else if (k.kind === 'admin-key') {
    lines.push('Sign in with ADMIN_API_KEY (it is configured, so no key was generated).');
  } else {
    lines.push(
      `Workspace "${k.workspaceId}" exists but ${k.file} does not: sign in with a key of that workspace,`,
      `or make one with: npm run workspace -- key ${k.workspaceId}`,
    );
  }
  lines.push(rule);
  return `${lines.join('\n')}\n`;
}
