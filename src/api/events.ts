/**
 * POST /api/v1/events: a batch of 1..1000 events (a JSON array, or `{events: [...]}`). The body
 * is 207-style, one result per item in order, but the status is 200: the batch itself was fine.
 */
import type { Request, Response, Server } from 'restify';
import type { EventService } from '../domain/events/service';
import { API_PREFIX, workspaceOf } from './auth';
import { batchOf } from './batch';

export interface EventRouteDeps {
  events: EventService;
  /** True once the server is shutting down: a batch stops early instead of holding it up. */
  draining?: () => boolean;
}

export function registerEventRoutes(server: Server, deps: EventRouteDeps): void {
  server.post(`${API_PREFIX}/events`, async (req: Request, res: Response) => {
    const items = batchOf(req.body, 'events');
    const results = await deps.events.ingest(workspaceOf(req), items, deps.draining);
    const count = (s: string) => results.filter((r) => r.status === s).length;
    res.send(200, {
      results,
      summary: {
        applied: count('applied'),
        duplicate: count('duplicate'),
        invalid: count('invalid'),
        notProcessed: count('not-processed'),
      },
    });
  });
}
