/**
 * Segment routes under /api/v1: CRUD, preview, members (list; add/remove for static lists),
 * explain and the transitions feed. Handlers translate HTTP; rules are validated by the rule
 * engine (a text rule's error carries line and column), the rest by the services.
 */
import { onlyPost } from './methods';
import type { Request, Response, Server } from 'restify';
import { explainRule, formatRule } from '../rules';
import { NotFoundError, ValidationError } from '../errors';
import { SegmentService } from '../domain/segments/service';
import type { Segment } from '../domain/segments/types';
import type { Membership } from '../infra/membership';
import { IDLE_REBUILD, type RebuildStatus } from '../infra/membership/rebuild';
import { API_PREFIX, workspaceOf } from './auth';
import { registerRuleFieldRoute } from './ruleFields';
import {
  addMembersSchema,
  membersQuerySchema,
  parseRequest,
  previewSchema,
  segmentCreateSchema,
  segmentPatchSchema,
  transitionsQuerySchema,
} from './segmentSchemas';

export interface SegmentRouteDeps {
  segments: SegmentService;
  membership: Pick<Membership, 'queries' | 'engine' | 'catalog' | 'collections' | 'clock' | 'rebuilder'>;
}

const param = (req: Request, name: string): string => {
  const v = (req.params as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
};
const view = (s: Segment, memberCount?: number, rebuild?: RebuildStatus) => ({
  ...s,
  ...(s.rule ? { ruleText: formatRule(s.rule) } : {}),
  ...(memberCount === undefined ? {} : { memberCount }),
  // While a rebuild runs, memberCount mixes the old and the new rule: say how far it is.
  ...(rebuild === undefined ? {} : { rebuild }),
});

export function registerSegmentRoutes(server: Server, deps: SegmentRouteDeps): void {
  const { segments, membership: m } = deps;
  const base = `${API_PREFIX}/segments`;

  server.post(base, async (req: Request, res: Response) => {
    const b = parseRequest(segmentCreateSchema, req.body);
    const s = await segments.create(workspaceOf(req), b, 'api');
    res.send(201, view(s));
  });

  server.get(base, async (req: Request, res: Response) => {
    const ws = workspaceOf(req);
    const [list, rebuilds] = await Promise.all([segments.list(ws), m.rebuilder.status(ws)]);
    const items = await Promise.all(
      list.map(async (s) =>
        view(s, await m.queries.memberCount(ws, s._id), rebuilds.get(s._id) ?? IDLE_REBUILD),
      ),
    );
    res.send(200, { items });
  });

  onlyPost(server, `${base}/preview`);
  server.post(`${base}/preview`, async (req: Request, res: Response) => {
    const b = parseRequest(previewSchema, req.body);
    const editOf =
      typeof b.segmentId === 'string' ? (await segments.get(workspaceOf(req), b.segmentId))._id : undefined;
    const rule = SegmentService.readRule(b.rule);
    // The AST as well as the text: the console's rule builder opens typed text from it.
    res.send(200, {
      ruleText: formatRule(rule),
      rule,
      ...(await m.queries.preview(workspaceOf(req), rule, editOf)),
    });
  });

  registerRuleFieldRoute(server, m.collections.contacts);

  server.get(`${base}/:id`, async (req: Request, res: Response) => {
    const ws = workspaceOf(req);
    const s = await segments.get(ws, param(req, 'id'));
    const [count, rebuilds] = await Promise.all([m.queries.memberCount(ws, s._id), m.rebuilder.status(ws)]);
    res.send(200, view(s, count, rebuilds.get(s._id) ?? IDLE_REBUILD));
  });

  server.patch(`${base}/:id`, async (req: Request, res: Response) => {
    res.send(
      200,
      view(
        await segments.update(
          workspaceOf(req),
          param(req, 'id'),
          parseRequest(segmentPatchSchema, bodyOf(req)),
        ),
      ),
    );
  });

  server.del(`${base}/:id`, async (req: Request, res: Response) => {
    await segments.delete(workspaceOf(req), param(req, 'id'));
    res.send(204);
  });

  server.get(`${base}/:id/members`, async (req: Request, res: Response) => {
    const ws = workspaceOf(req);
    const q = parseRequest(membersQuerySchema, req.query);
    const s = await segments.get(ws, param(req, 'id'));
    const page = await m.queries.members(ws, s._id, q.cursor, q.limit ?? 50);
    res.send(200, { segment: { _id: s._id, name: s.name }, ...page });
  });

  server.post(`${base}/:id/members`, async (req: Request, res: Response) => {
    const ws = workspaceOf(req);
    const list = await staticList(segments, ws, param(req, 'id'));
    const ids = parseRequest(addMembersSchema, req.body).contactIds;
    // Per item: an unknown id is reported for that item and the others are still added.
    const results: { contactId: string; status: string; added: boolean; error?: object }[] = [];
    for (const id of ids) {
      try {
        const added = await m.engine.setListMember(ws, id, list._id, true);
        results.push({ contactId: id, status: added ? 'added' : 'already', added });
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
        results.push({ contactId: id, status: 'not_found', added: false, error: errorBody(err) });
      }
    }
    const count = (st: string) => results.filter((r) => r.status === st).length;
    res.send(200, {
      results,
      summary: { added: count('added'), already: count('already'), notFound: count('not_found') },
    });
  });

  server.del(`${base}/:id/members/:contactId`, async (req: Request, res: Response) => {
    const ws = workspaceOf(req);
    const list = await staticList(segments, ws, param(req, 'id'));
    res.send(200, { removed: await m.engine.setListMember(ws, param(req, 'contactId'), list._id, false) });
  });

  server.get(`${API_PREFIX}/contacts/:id/segments`, async (req: Request, res: Response) => {
    const ws = workspaceOf(req);
    const contact = await m.collections.contacts.findOne(
      { _id: param(req, 'id'), workspaceId: ws },
      { projection: { segments: 1 } },
    );
    if (!contact) throw new NotFoundError('contact', param(req, 'id'));
    const byId = new Map((await segments.list(ws)).map((s) => [s._id, s]));
    const items = contact.segments.flatMap((mem) => {
      const s = byId.get(mem.segmentId);
      return s
        ? [
            {
              segmentId: s._id,
              name: s.name,
              slug: s.slug,
              type: s.type,
              priority: s.priority,
              since: mem.since,
            },
          ]
        : [];
    });
    res.send(200, { items: items.sort((a, b) => b.priority - a.priority) });
  });

  server.get(
    `${API_PREFIX}/contacts/:id/segments/:segmentId/explain`,
    async (req: Request, res: Response) => {
      const ws = workspaceOf(req);
      const s = await segments.get(ws, param(req, 'segmentId'));
      const contact = await m.collections.contacts.findOne({ _id: param(req, 'id'), workspaceId: ws });
      if (!contact) throw new NotFoundError('contact', param(req, 'id'));
      const member = contact.segments.some((m) => m.segmentId === s._id);
      if (!s.rule) {
        res.send(200, {
          segment: s.name,
          type: 'static',
          member,
          why: member ? 'added to the list by hand' : 'not on the list',
        });
        return;
      }
      const compiled = await m.catalog.get(ws);
      res.send(200, { segment: s.name, member, ...explainRule(s.rule, contact, m.clock(), compiled.ctx) });
    },
  );

  server.get(`${API_PREFIX}/transitions`, async (req: Request, res: Response) => {
    const q = parseRequest(transitionsQuerySchema, req.query);
    const filter = {
      ...(q.segmentId === undefined ? {} : { segmentId: q.segmentId }),
      ...(q.contactId === undefined ? {} : { contactId: q.contactId }),
    };
    res.send(
      200,
      await m.queries.transitions(workspaceOf(req), Number(q.cursor ?? 0), q.limit ?? 50, filter),
    );
  });
}

/** The body, which must be there: parseRequest reads a missing one as `{}` (right for a query). */
function bodyOf(req: Request): unknown {
  if (req.body === undefined || req.body === null)
    throw new ValidationError('The body must be a JSON object', { field: '' });
  return req.body;
}

const errorBody = (err: NotFoundError) => ({ code: err.code, message: err.message });

async function staticList(segments: SegmentService, ws: string, id: string): Promise<Segment> {
  const s = await segments.get(ws, id);
  if (s.type !== 'static')
    throw new ValidationError(
      `"${s.name}" is a dynamic segment: its members follow its rule`,
      {},
      'NOT_A_LIST',
    );
  return s;
}
