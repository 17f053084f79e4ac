/**
 * Contact routes under /api/v1. Handlers only translate HTTP to the ContactService: validation,
 * workspace scoping and errors live there. Another workspace's contact is a 404, exactly like a
 * missing one (its existence is not revealed).
 */
import type { Request, Response, Server } from 'restify';
import type { ContactService } from '../domain/contacts/service';
import { API_PREFIX, workspaceOf } from './auth';
import { publicContact } from './contactView';

export interface ContactRouteDeps {
  contacts: ContactService;
}

/** A route parameter; restify always gives strings, anything else is treated as empty. */
function param(req: Request, name: string): string {
  const v = (req.params as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
}

export function registerContactRoutes(server: Server, deps: ContactRouteDeps): void {
  const c = deps.contacts;
  const base = `${API_PREFIX}/contacts`;

  server.post(base, async (req: Request, res: Response) => {
    const { contact, created } = await c.upsert(workspaceOf(req), req.body);
    res.send(created ? 201 : 200, publicContact(contact));
  });

  server.get(base, async (req: Request, res: Response) => {
    const page = await c.list(workspaceOf(req), req.query);
    res.send(200, { ...page, items: page.items.map(publicContact) });
  });

  server.get(`${base}/:id`, async (req: Request, res: Response) => {
    res.send(200, publicContact(await c.get(workspaceOf(req), param(req, 'id'))));
  });

  server.patch(`${base}/:id`, async (req: Request, res: Response) => {
    res.send(200, publicContact(await c.patch(workspaceOf(req), param(req, 'id'), req.body)));
  });

  server.del(`${base}/:id`, async (req: Request, res: Response) => {
    await c.delete(workspaceOf(req), param(req, 'id'));
    res.send(204);
  });

  server.post(`${base}/:id/tags`, async (req: Request, res: Response) => {
    res.send(200, publicContact(await c.changeTags(workspaceOf(req), param(req, 'id'), req.body)));
  });

  server.put(`${base}/:id/custom/:key`, async (req: Request, res: Response) => {
    res.send(
      200,
      publicContact(await c.setCustom(workspaceOf(req), param(req, 'id'), param(req, 'key'), req.body)),
    );
  });

  server.del(`${base}/:id/custom/:key`, async (req: Request, res: Response) => {
    res.send(200, publicContact(await c.deleteCustom(workspaceOf(req), param(req, 'id'), param(req, 'key'))));
  });
}
