/**
 * GET /contacts query parameters: refuse the unknown ones (a misspelt filter must never list
 * everyone) and turn the validated query into the repository's filter.
 */
import type { ContactFilter } from './repo';
import { parseOrThrow, validationError } from './parse';
import { listQuerySchema, type ListQuery } from './validation';

const LIST_PARAMETERS = new Set(Object.keys(listQuerySchema.shape));

/** The validated query; 400 `UNKNOWN_PARAMETER` names every parameter GET /contacts does not know. */
export function parseListQuery(query: unknown): ListQuery {
  return parseOrThrow(listQuerySchema, checkListParameters(query ?? {}));
}

function checkListParameters(query: unknown): unknown {
  if (typeof query !== 'object' || query === null) return query;
  const unknown = Object.keys(query).filter((k) => !LIST_PARAMETERS.has(k));
  if (unknown.length === 0) return query;
  const known = [...LIST_PARAMETERS].join(', ');
  const issues = unknown.map((path) => ({ path, problem: `unknown parameter (known: ${known})` }));
  throw validationError(issues, 'UNKNOWN_PARAMETER');
}

/** The repository filter for a validated query (channelId and userId go together). */
export function filterOf(q: ListQuery): ContactFilter {
  return {
    ...(q.email === undefined ? {} : { email: q.email }),
    ...(q.externalId === undefined ? {} : { externalId: q.externalId }),
    ...(q.channelId === undefined || q.userId === undefined
      ? {}
      : { identity: { channelId: q.channelId, userId: q.userId } }),
    ...(q.tag === undefined ? {} : { tag: q.tag }),
    ...(q.segment === undefined ? {} : { segmentId: q.segment }),
  };
}
