/**
 * Workflow routes under /api/v1: the flow catalogue with its bindings, creating and
 * enabling/disabling bindings, a contact's or a flow's instances (state and next wake-up), one
 * instance's history (explain) and cancelling it. Bodies are validated with zod; bad input is a
 * 400 with a stable code and changes nothing.
 */
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { FLOWS } from '../../flows';
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

/**
 * 30s, 10m, 2h or 7d, from 1 second to 365 days, as one regex (what parseDuration accepts,
 * without blanks or capitals), so the OpenAPI document says exactly what is accepted.
 */
const DURATION = new RegExp(
  '^(?:[1-9][0-9]{0,5}s' +
    '|(?:[1-9][0-9]{0,4}|[1-4][0-9]{5}|5[01][0-9]{4}|52[0-4][0-9]{3}|525[0-5][0-9]{2}|525600)m' +
    '|(?:[1-9][0-9]{0,2}|[1-7][0-9]{3}|8[0-6][0-9]{2}|87[0-5][0-9]|8760)h' +
    '|(?:[1-9][0-9]?|[12][0-9]{2}|3[0-5][0-9]|36[0-5])d)$',
);
const duration = z.string().regex(DURATION, {
  error: 'a duration such as 30s, 10m, 2h or 7d (at most 365d)',
});

/** A flow's id or name, in any case: what findFlow accepts, as a pattern for the document. */
const caseless = (s: string) =>
  [...s]
    .map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : `[${c}]`))
    .join('');
const FLOW_PATTERN = `^(?:${FLOWS.flatMap((f) => [f.id, f.name])
  .map(caseless)
  .join('|')})$`;

export const bindingBody = z
  .object({
    // Checked by findFlow (UNKNOWN_FLOW); the document lists what it accepts.
    flow: z.string().min(1).max(100).meta({ pattern: FLOW_PATTERN }),
    segment: z.string().min(1).max(200),
    on: z.enum(['entered', 'exited']).default('entered'),
    reentry: z.enum(['once', 'every', 'cooldown']).default('once'),
    cooldown: duration.optional(),
    dwell: duration.optional(),
    stopOnExit: z.boolean().default(false),
  })
  .strict()
  .meta({
    // A cooldown duration with reentry "cooldown", and only then.
    if: { properties: { reentry: { const: 'cooldown' } }, required: ['reentry'] },
    then: { required: ['cooldown'] },
    else: { not: { required: ['cooldown'] } },
  });

export const enabledBody = z.object({ enabled: z.boolean() }).strict();

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
/** `GET /flows/instances`: by contact, by flow, or both (at least one: the document says so in words). */
export const instancesQuery = z.object({
  contactId: z.string().min(1).max(200).optional(),
  flowId: z.string().min(1).max(200).optional(),
});

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
    const by = parseOrThrow(instancesQuery, req.query ?? {});
    res.send(200, { items: await admin.instances(workspaceOf(req), by) });
  });
  server.get(`${base}/instances/:id`, async (req: Request, res: Response) => {
    res.send(200, await admin.explain(workspaceOf(req), param(req, 'id')));
  });
  server.post(`${base}/instances/:id/cancel`, async (req: Request, res: Response) => {
    res.send(200, await admin.cancel(workspaceOf(req), param(req, 'id'), 'api'));
  });
}
