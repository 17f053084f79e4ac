/**
 * Workflow routes under /api/v1: the flow catalogue with its bindings, creating and
 * enabling/disabling bindings, a contact's or a flow's instances (state and next wake-up), one
 * instance's history (explain) and cancelling it. Bodies are validated with zod; bad input is a
 * 400 with a stable code and changes nothing.
 */
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { parseDuration } from '../../flows/policy';
import { parseOrThrow } from '../domain/contacts/parse';
import { ValidationError } from '../errors';
import type { FlowRuntime } from '../infra/flows';
import type { FlowAdmin, NewBinding } from '../infra/flows/admin';
import { API_PREFIX, workspaceOf } from './auth';

export interface FlowRouteDeps {
  flows: FlowRuntime;
  /** Built once by the composition root; the chat's /flow commands use the same one. */
  admin: FlowAdmin;
}

const duration = z
  .string()
  .max(20)
  .refine((s) => parseDuration(s) !== undefined, {
    error: 'a duration such as 30s, 10m, 2h or 7d (at most 365d)',
  });

const bindingBody = z
  .object({
    flow: z.string().min(1).max(100),
    segment: z.string().min(1).max(200),
    on: z.enum(['entered', 'exited']).default('entered'),
    reentry: z.enum(['once', 'every', 'cooldown']).default('once'),
    cooldown: duration.optional(),
    dwell: duration.optional(),
    stopOnExit: z.boolean().default(false),
  })
  .strict();

const enabledBody = z.object({ enabled: z.boolean() }).strict();

/** The zod-checked body as the admin service's input (cooldown needs its duration). */
export function toNewBinding(raw: unknown): NewBinding {
  const b = parseOrThrow(bindingBody, raw);
  if (b.reentry === 'cooldown' && !b.cooldown)
    throw new ValidationError('cooldown: give the cooldown duration, e.g. "7d"', { path: 'cooldown' });
  if (b.reentry !== 'cooldown' && b.cooldown)
    throw new ValidationError('cooldown: only with reentry "cooldown"', { path: 'cooldown' });
  return {
    flow: b.flow,
    segment: b.segment,
    on: b.on,
    stopOnExit: b.stopOnExit,
    dwellMs: b.dwell ? parseDuration(b.dwell)! : 0,
    reentry:
      b.reentry === 'cooldown' ? { kind: 'cooldown', ms: parseDuration(b.cooldown!)! } : { kind: b.reentry },
  };
}

const param = (req: Request, name: string): string => {
  const v = (req.params as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
};
const query = (req: Request, name: string): string | undefined => {
  const v = (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : undefined;
};

export function registerFlowRoutes(server: Server, deps: FlowRouteDeps): void {
  const { admin } = deps;
  const base = `${API_PREFIX}/flows`;

  server.get(base, async (req: Request, res: Response) => {
    res.send(200, { items: await admin.catalogue(workspaceOf(req)) });
  });
  server.get(`${base}/bindings`, async (req: Request, res: Response) => {
    res.send(200, { items: await deps.flows.bindings.list(workspaceOf(req)) });
  });
  server.post(`${base}/bindings`, async (req: Request, res: Response) => {
    const input = toNewBinding(req.body ?? {});
    res.send(201, await admin.bind(workspaceOf(req), input));
  });
  server.patch(`${base}/bindings/:id`, async (req: Request, res: Response) => {
    const { enabled } = parseOrThrow(enabledBody, req.body ?? {});
    res.send(200, await admin.setEnabled(workspaceOf(req), param(req, 'id'), enabled));
  });
  server.get(`${base}/instances`, async (req: Request, res: Response) => {
    const by = { contactId: query(req, 'contactId'), flowId: query(req, 'flowId') };
    res.send(200, { items: await admin.instances(workspaceOf(req), by) });
  });
  server.get(`${base}/instances/:id`, async (req: Request, res: Response) => {
    res.send(200, await admin.explain(workspaceOf(req), param(req, 'id')));
  });
  server.post(`${base}/instances/:id/cancel`, async (req: Request, res: Response) => {
    res.send(200, await admin.cancel(workspaceOf(req), param(req, 'id'), 'api'));
  });
}
