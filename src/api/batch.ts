/**
 * A batch body is a JSON array, or an object holding it under one name (`{"events": [...]}`).
 * Any other key in that object is refused: a misspelt or extra field must not be ignored
 * silently (issue 28: the OpenAPI document says the object has that one property).
 */
import { validationError } from '../domain/contacts/parse';

export function batchOf(body: unknown, name: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const extra = Object.keys(body).find((k) => k !== name);
  if (extra !== undefined) throw validationError([{ path: extra, problem: 'unknown key' }]);
  return (body as Record<string, unknown>)[name];
}
