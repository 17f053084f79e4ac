/**
 * `GET /api/v1/openapi.json`: the OpenAPI 3.1 document, built once at start-up. It is public (no
 * API key): it describes the API, it holds no data.
 */
import type { Next, Request, Response, Server } from 'restify';
import { API_PREFIX } from '../auth';
import { API_OPERATIONS, COMPONENT_SCHEMAS } from './operations';
import { buildOpenApi, type ApiOperation } from './registry';

export const OPENAPI_PATH = `${API_PREFIX}/openapi.json`;
export { op, type ApiOperation } from './registry';

/** The document the server serves (docs/api.md is written from it too). */
export function apiDocument(version: string, extra: readonly ApiOperation[] = []) {
  return buildOpenApi([...API_OPERATIONS, ...extra], version, COMPONENT_SCHEMAS);
}

/** `extra`: operations of capabilities wired elsewhere (campaigns, flows, reports). */
export function registerOpenApi(server: Server, version: string, extra: readonly ApiOperation[] = []): void {
  const doc = apiDocument(version, extra);
  server.get(OPENAPI_PATH, (_req: Request, res: Response, next: Next) => {
    res.send(200, doc);
    next();
  });
}
