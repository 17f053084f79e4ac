/**
 * Authentication for `/api/v1/*`: `Authorization: Bearer <key>` → the key's workspace, bound to
 * the request. It runs in `pre` (before routing), so an unknown route under /api/v1 is a 401 for
 * a caller without a key too, and no body is read for an unauthenticated caller.
 */
import type { Request, Response, Server } from 'restify';
import { ForbiddenError, UnauthorizedError } from '../errors';
import type { ApiKeyService } from '../domain/workspaces/apiKeys';

export const API_PREFIX = '/api/v1';

const workspaces = new WeakMap<Request, string>();
/** Requests made with the bootstrap key (ADMIN_API_KEY). */
const bootstrap = new WeakSet<Request>();

/** Workspace and key management is for the bootstrap key only. */
export function requireBootstrap(req: Request): void {
  if (!bootstrap.has(req))
    throw new ForbiddenError('Only the bootstrap key (ADMIN_API_KEY) may manage workspaces and keys');
}

/** The authenticated workspace of a request; a handler reached without auth is refused. */
export function workspaceOf(req: Request): string {
  const ws = workspaces.get(req);
  if (ws === undefined) throw new UnauthorizedError();
  return ws;
}

function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer[ \t]+(\S{1,500})[ \t]*$/i.exec(h);
  return m?.[1];
}

export interface AuthDeps {
  apiKeys: ApiKeyService;
}

/** Installs the check for every path under /api/v1. Register it before any API route. */
export function registerAuth(server: Server, deps: AuthDeps): void {
  server.pre((req: Request, _res: Response, next: (err?: unknown) => void) => {
    const path = req.path();
    if (path !== API_PREFIX && !path.startsWith(`${API_PREFIX}/`)) return next();
    // The OpenAPI document describes the API and holds no data: the console shows it before sign-in.
    if (path === `${API_PREFIX}/openapi.json` && req.method === 'GET') return next();
    const key = bearer(req);
    if (key === undefined) return next(new UnauthorizedError());
    deps.apiKeys.authenticate(key).then(
      (ws) => {
        if (ws === null) return next(new UnauthorizedError());
        workspaces.set(req, ws);
        if (deps.apiKeys.isBootstrap(key)) bootstrap.add(req);
        next();
      },
      (err: unknown) => next(err),
    );
  });
}
