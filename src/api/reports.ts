/**
 * Report routes under /api/v1/reports (DESIGN §3.9), behind the same bearer auth as the rest:
 * sizes with history and freshness, one segment's daily history, the comparison table, and the
 * same data as SVG charts. Query parameters are validated here; a bad one is a 400
 * VALIDATION_FAILED naming the field, an id outside the workspace a 404.
 */
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { COMPARE_METRICS, type CompareMetric } from '../domain/reports/types';
import { wholeNumberParam } from '../domain/wire';
import { ValidationError } from '../errors';
import type { Reports } from '../infra/reports';
import { API_PREFIX, workspaceOf } from './auth';

const MAX_COMPARED = 50;

const DAYS_ERROR = 'days is a whole number from 1 to 365';
const IDS_ERROR = `segments is a comma-separated list of 1 to ${MAX_COMPARED} segment ids`;
const MAX_AGE_ERROR = 'maxAge is a whole number of seconds from 0 to 86400';
const METRIC_ERROR = `metric is one of ${COMPARE_METRICS.join(', ')}`;

export const daysSchema = wholeNumberParam(1, 365, DAYS_ERROR);
/** Segment ids as this API writes them; one regex, so the OpenAPI document says it exactly. */
const ID = '[A-Za-z0-9_-]{1,100}';
export const idsSchema = z
  .string({ error: IDS_ERROR })
  .regex(new RegExp(`^${ID}(?:,${ID}){0,${MAX_COMPARED - 1}}$`), IDS_ERROR)
  .transform((s) => s.split(','))
  .describe('comma-separated segment ids');

/** `maxAge` (seconds) of precomputed figures (the comparison's member figures, freshness audits); 0 asks for exact ones. */
export const maxAgeSchema = wholeNumberParam(0, 86_400, MAX_AGE_ERROR);
export const metricSchema = z.enum(COMPARE_METRICS as unknown as [CompareMetric, ...CompareMetric[]], {
  error: METRIC_ERROR,
});

function query(req: Request): Record<string, unknown> {
  return (req.query ?? {}) as Record<string, unknown>;
}

function days(req: Request, fallback: number): number {
  const raw = query(req).days;
  if (raw === undefined) return fallback;
  const r = daysSchema.safeParse(raw);
  if (!r.success) throw new ValidationError(DAYS_ERROR, { field: 'days' });
  return r.data;
}

function segmentIds(req: Request): string[] {
  const r = idsSchema.safeParse(query(req).segments);
  if (!r.success) throw new ValidationError(IDS_ERROR, { field: 'segments' });
  const ids = [...new Set(r.data)];
  return ids;
}

function maxAge(req: Request): number | undefined {
  const raw = query(req).maxAge;
  if (raw === undefined) return undefined;
  const r = maxAgeSchema.safeParse(raw);
  if (!r.success) throw new ValidationError(MAX_AGE_ERROR, { field: 'maxAge' });
  return r.data * 1000;
}

function metric(req: Request): CompareMetric {
  const r = metricSchema.safeParse(query(req).metric ?? 'members');
  if (!r.success) throw new ValidationError(METRIC_ERROR, { field: 'metric' });
  return r.data;
}

const param = (req: Request, name: string): string => {
  const v = (req.params as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
};

function sendSvg(res: Response, svg: string): void {
  res.sendRaw(200, svg, {
    'content-type': 'image/svg+xml; charset=utf-8',
    'cache-control': 'no-store',
    // The SVG is ours, but never let a browser run anything inside it if opened directly.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
}

export function registerReportRoutes(server: Server, reports: Reports): void {
  const base = `${API_PREFIX}/reports`;
  const { service } = reports;

  server.get(`${base}/segments`, async (req: Request, res: Response) => {
    const list = await service.overview(workspaceOf(req), days(req, 30), maxAge(req));
    res.send(200, {
      segments: list.map((r) => ({
        id: r.id,
        name: r.name,
        size: r.size,
        freshness: r.freshness,
        history: r.history.map((p) => ({ day: p.day, size: p.size })),
      })),
    });
  });

  server.get(`${base}/segments/:id`, async (req: Request, res: Response) => {
    res.send(200, await service.segment(workspaceOf(req), param(req, 'id'), days(req, 90), maxAge(req)));
  });

  server.get(`${base}/segments/:id/chart.svg`, async (req: Request, res: Response) => {
    sendSvg(res, await reports.historySvg(workspaceOf(req), param(req, 'id'), days(req, 90)));
  });

  server.get(`${base}/compare`, async (req: Request, res: Response) => {
    res.send(200, { rows: await service.compare(workspaceOf(req), segmentIds(req), maxAge(req)) });
  });

  server.get(`${base}/compare/chart.svg`, async (req: Request, res: Response) => {
    const ids = segmentIds(req);
    sendSvg(res, await reports.compareSvg(workspaceOf(req), ids, metric(req), maxAge(req)));
  });
}
