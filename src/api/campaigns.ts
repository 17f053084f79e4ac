/**
 * Campaign routes under /api/v1/campaigns: create (validated by the service's zod schema and
 * template check), list, get with delivery counts and reply rate, start / pause / resume /
 * cancel, and the deliveries, paged by cursor and filterable by status.
 */
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { CampaignService } from '../domain/campaigns/service';
import { DELIVERY_STATUSES } from '../domain/campaigns/types';
import { wholeNumberParam } from '../domain/wire';
import { ValidationError } from '../errors';
import type { DeliveryRepo } from '../infra/campaigns/deliveries';
import { API_PREFIX, workspaceOf } from './auth';

export interface CampaignRouteDeps {
  campaigns: CampaignService;
  deliveries: Pick<DeliveryRepo, 'page'>;
}

const param = (req: Request, name: string): string => {
  const v = (req.params as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
};

export const deliveriesQuery = z.strictObject({
  status: z.enum(DELIVERY_STATUSES as [string, ...string[]]).optional(),
  limit: wholeNumberParam(1, 500, 'a whole number from 1 to 500').optional(),
  cursor: z.string().min(1).max(300).optional(),
});

function parsePage(req: Request) {
  const r = deliveriesQuery.safeParse(req.query ?? {});
  if (r.success) return { ...r.data, limit: r.data.limit ?? 50 };
  const issue = r.error.issues[0];
  const field = issue?.path.join('.') ?? '';
  const hint =
    field === 'status'
      ? `one of ${DELIVERY_STATUSES.join(', ')}`
      : field === 'limit'
        ? 'a whole number from 1 to 500'
        : (issue?.message ?? 'invalid');
  throw new ValidationError(`${field || 'query'}: ${hint}`, { field });
}

export function registerCampaignRoutes(server: Server, deps: CampaignRouteDeps): void {
  const { campaigns } = deps;
  const base = `${API_PREFIX}/campaigns`;

  server.post(base, async (req: Request, res: Response) => {
    const c = await campaigns.create(workspaceOf(req), req.body ?? {}, 'api');
    res.send(201, await campaigns.view(c.workspaceId, c._id));
  });

  server.get(base, async (req: Request, res: Response) => {
    res.send(200, { items: await campaigns.list(workspaceOf(req)) });
  });

  server.get(`${base}/:id`, async (req: Request, res: Response) => {
    res.send(200, await campaigns.view(workspaceOf(req), param(req, 'id')));
  });

  for (const action of ['start', 'pause', 'resume', 'cancel'] as const) {
    server.post(`${base}/:id/${action}`, async (req: Request, res: Response) => {
      const ws = workspaceOf(req);
      const c = await campaigns[action](ws, param(req, 'id'));
      res.send(200, await campaigns.view(ws, c._id));
    });
  }

  server.get(`${base}/:id/deliveries`, async (req: Request, res: Response) => {
    const ws = workspaceOf(req);
    const q = parsePage(req);
    const c = await campaigns.get(ws, param(req, 'id'));
    const items = await deps.deliveries.page(ws, c._id, q.status as never, q.cursor, q.limit);
    const last = items.at(-1);
    res.send(200, { items, nextCursor: items.length === q.limit && last ? last._id : null });
  });
}
