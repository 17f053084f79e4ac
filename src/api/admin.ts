/**
 * `/api/v1/admin/…`: workspaces and their keys, for the bootstrap key (ADMIN_API_KEY) only; any
 * other key gets a 403. A created key is in the response once and stored only as its hash.
 */
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { parseOrThrow } from '../domain/contacts/parse';
import type { WorkspaceService } from '../domain/workspaces/workspaces';
import { API_PREFIX, requireBootstrap } from './auth';

export const workspaceCreateSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'id must be 1-64 characters of A-Z, a-z, 0-9, _ and -'),
  name: z.string().max(100).optional(),
});
export const keyCreateSchema = z.strictObject({ name: z.string().min(1).max(100).optional() });

const A = `${API_PREFIX}/admin/workspaces`;
const param = (req: Request, name: string): string => String((req.params as Record<string, unknown>)[name]);

export function registerAdminRoutes(server: Server, workspaces: WorkspaceService): void {
  server.post(A, async (req: Request, res: Response) => {
    requireBootstrap(req);
    const body = parseOrThrow(workspaceCreateSchema, req.body ?? {});
    res.send(201, await workspaces.create(body.id, body.name));
  });
  server.get(A, async (req: Request, res: Response) => {
    requireBootstrap(req);
    res.send(200, { items: await workspaces.list() });
  });
  server.post(`${A}/:id/keys`, async (req: Request, res: Response) => {
    requireBootstrap(req);
    // No body is no name; a body of `null` (or anything but an object) is refused.
    const body = parseOrThrow(keyCreateSchema, req.body === undefined ? {} : req.body);
    res.send(201, await workspaces.addKey(param(req, 'id'), body.name));
  });
  server.get(`${A}/:id/keys`, async (req: Request, res: Response) => {
    requireBootstrap(req);
    res.send(200, { items: await workspaces.keysOf(param(req, 'id')) });
  });
  server.del(`${A}/:id/keys/:keyId`, async (req: Request, res: Response) => {
    requireBootstrap(req);
    await workspaces.revoke(param(req, 'id'), param(req, 'keyId'));
    res.send(204);
  });
}
