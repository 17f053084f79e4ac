/**
 * Campaign routes under /api/v1/campaigns: create (validated by the service's zod schema and
 * template check), list, get with delivery counts and reply rate, start / pause / resume /
 * cancel, the deliveries, paged by cursor and filterable by status (`status=unknown` lists those
 * whose outcome a stopped process never recorded, with `sendingAt`), the operator's re-send of
 * chosen `unknown` deliveries (docs/delivery.md), and a template's text for one contact before
 * anything is saved (the console's live preview).
 */
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { parseTemplatePreview } from '../domain/campaigns/input';
import type { CampaignService } from '../domain/campaigns/service';
import { sampleContact } from '../domain/campaigns/template';
import type { Contact } from '../domain/contacts/types';
import { DELIVERY_STATUSES, type Campaign } from '../domain/campaigns/types';
import { wholeNumberParam } from '../domain/wire';
import { ValidationError } from '../errors';
import type { DeliveryRepo } from '../infra/campaigns/deliveries';
import { RESEND_MAX, type ResendResult } from '../infra/campaigns/resend';
import { API_PREFIX, workspaceOf } from './auth';
import { onlyPost } from './methods';

export interface CampaignRouteDeps {
  campaigns: CampaignService;
  deliveries: Pick<DeliveryRepo, 'page'>;
  /** For the template preview of a real contact. */
  contacts: { get(workspaceId: string, id: string): Promise<Contact> };
  /** Re-sends chosen `unknown` deliveries of a campaign (infra/campaigns/resend.ts). */
  resend: (campaign: Campaign, deliveryIds: string[]) => Promise<ResendResult[]>;
}

/** The body of POST /campaigns/:id/deliveries/resend: delivery ids as the deliveries list gives them. */
export const resendSchema = z.strictObject({
  ids: z
    .array(z.string().min(1).max(300))
    .min(1)
    .max(RESEND_MAX)
    .refine((ids) => new Set(ids).size === ids.length, { error: 'ids must not repeat' })
    .meta({ uniqueItems: true })
    .describe(`ids of unknown deliveries (from GET .../deliveries?status=unknown), 1 to ${RESEND_MAX}`),
});

function parseResend(body: unknown): string[] {
  const r = resendSchema.safeParse(body ?? {});
  if (r.success) return r.data.ids;
  const issue = r.error.issues[0];
  const field = issue?.path.join('.') || 'ids';
  throw new ValidationError(
    `${field}: ${issue?.code === 'custom' ? 'must not repeat' : `an array of 1 to ${RESEND_MAX} delivery ids`}`,
    { field },
  );
}

const param = (req: Request, name: string): string => {
  const v = (req.params as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
};

export const deliveriesQuery = z.strictObject({
  status: z
    .enum(DELIVERY_STATUSES as [string, ...string[]])
    .optional()
    .describe('pending, sending, sent, failed, skipped or unknown (`sendingAt`: when its send started)'),
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

  onlyPost(server, `${base}/preview`);
  server.post(`${base}/preview`, async (req: Request, res: Response) => {
    const ws = workspaceOf(req);
    const b = parseTemplatePreview(req.body ?? {});
    const contact = b.contactId ? await deps.contacts.get(ws, b.contactId) : sampleContact();
    const text = await campaigns.renderPreview(ws, b.template, contact, b.name || 'Preview', b.segment);
    res.send(200, {
      text,
      contact: b.contactId ? { _id: contact._id, name: contact.name } : null,
    });
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

  // Never automatic: an operator who accepts that a recipient may get a second copy names the
  // `unknown` records to send once more. Answers when every one has its new outcome.
  server.post(`${base}/:id/deliveries/resend`, async (req: Request, res: Response) => {
    const ws = workspaceOf(req);
    const ids = parseResend(req.body);
    const c = await campaigns.get(ws, param(req, 'id'));
    const results = await deps.resend(c, ids);
    const summary: Record<string, number> = {};
    for (const r of results) summary[r.status] = (summary[r.status] ?? 0) + 1;
    res.send(200, { results, summary });
  });
}
