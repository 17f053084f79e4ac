/**
 * Duplicate-key errors (code 11000) → ConflictError naming the field. Both MongoDB and
 * mongo-java-server put the index name in the message ("index: <name> dup key"), so the field
 * is found from our own index names rather than from `keyPattern` (which only MongoDB sends).
 */
import { ConflictError } from '../../errors';

/** True for a MongoDB duplicate-key error. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/**
 * Rethrows a duplicate-key error as ConflictError, using `fields` (index name → field) to say
 * what is taken; any other error is rethrown unchanged.
 */
export function conflictFrom(err: unknown, what: string, fields: Record<string, string>): never {
  if (!isDuplicateKey(err)) throw err;
  const raw = (err as { message?: unknown }).message;
  const message = typeof raw === 'string' ? raw : '';
  const field = Object.entries(fields).find(([index]) => message.includes(index))?.[1] ?? 'key';
  throw new ConflictError(`${what}: that ${field} is already taken in this workspace`, { field });
}
