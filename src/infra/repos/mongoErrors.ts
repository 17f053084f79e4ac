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
 * The indexes an unordered `insertMany` refused as duplicate keys; rethrows any other error.
 * Trusts `writeErrors`, not `insertedCount` (DESIGN §2.1).
 */
export function refusedAsDuplicates(err: unknown): Set<number> {
  const raw: unknown = (err as { writeErrors?: unknown }).writeErrors;
  const list = (Array.isArray(raw) ? raw : raw ? [raw] : []) as { index: number }[];
  if (list.length === 0 || !list.every(isDuplicateKey)) throw err;
  return new Set(list.map((e) => e.index));
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
