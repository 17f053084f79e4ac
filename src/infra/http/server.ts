/**
 * The restify server: JSON body parsing with a size and a nesting limit, the error handler, and `GET /healthz`.
 * Capabilities add their routes through `register` before `listen`.
 */
import restify, { type Server } from 'restify';
import type { Logger } from '../logger';
import { AppError, ShuttingDownError } from '../../errors';
import { BodyTooDeepError, MAX_BODY_DEPTH, nestsDeeperThan } from './bodyDepth';
import { toHttpError } from './errors';

export interface Health {
  status: 'ok' | 'degraded';
  db: 'ok' | 'down';
  scheduler: string;
  version: string;
  [extra: string]: unknown;
}

export interface HttpServerOptions {
  log: Logger;
  health: () => Promise<Health>;
  maxBodyBytes?: number;
  /** True once shutting down: requests still arriving on open connections get a 503. */
  draining?: () => boolean;
  /** Routes under this path (bulk import) take bodies up to `maxBytes`, also as NDJSON text. */
  largeBodies?: { pathPrefix: string; maxBytes: number };
}

type Handler = (req: restify.Request, res: restify.Response, next: (err?: unknown) => void) => void;

export function createHttpServer(opts: HttpServerOptions): Server {
  const server = restify.createServer({ name: 'segments', handleUncaughtExceptions: false });
  // A request with neither Content-Length nor chunked encoding has no body (RFC 9112 §6.3), but
  // restify's bodyParser would try to parse it and, with rejectUnknown, answer a plain
  // `DELETE /x` (no Content-Type) with 415. Say so explicitly.
  server.pre((req: restify.Request, _res: restify.Response, next: () => void) => {
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
      req.headers['content-length'] = '0';
    }
    next();
  });
  server.pre((req: restify.Request, res: restify.Response, next: (err?: unknown) => void) => {
    if (!opts.draining?.()) return next();
    res.setHeader('connection', 'close');
    next(new ShuttingDownError());
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // JSON only (NDJSON for imports stays text), read into memory with a size limit for every
  // type: restify's bodyParser would write a multipart upload to /tmp before auth and never
  // delete it. Routes under `largeBodies.pathPrefix` (bulk import) get the larger limit.
  server.use(onlyJsonBodies);
  const normal = restify.plugins.bodyReader({ maxBodySize: opts.maxBodyBytes ?? 1_048_576 });
  const large = opts.largeBodies;
  const big = large ? restify.plugins.bodyReader({ maxBodySize: large.maxBytes }) : undefined;
  server.use(((req, res, next) => {
    const reader = big && large && (req.path?.() ?? '').startsWith(large.pathPrefix) ? big : normal;
    reader(req, res, next);
  }) as Handler);
  server.use(rejectDeepBodies);
  server.use(noBodyIsUndefined);
  server.use(restify.plugins.jsonBodyParser({ mapParams: false }));

  server.on('restifyError', (req: restify.Request, res: restify.Response, err: unknown, next: () => void) => {
    const { status, body } = toHttpError(err);
    if (status >= 500) opts.log.error({ err, method: req.method, url: req.url }, 'http: request failed');
    // Replace restify's own formatter output (which may carry a stack) with our body.
    const e = err as { statusCode?: number; toJSON?: () => unknown; body?: unknown };
    e.statusCode = status;
    e.toJSON = () => body;
    e.body = body;
    next();
  });

  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    const h = await opts.health();
    res.send(h.status === 'ok' ? 200 : 503, h);
  });
  return server;
}

/** Media types a body may have: JSON, and newline-delimited JSON (imports). */
const ACCEPTED = /^application\/(json|x-ndjson|[\w.+-]+\+json)\s*(;|$)/i;

function onlyJsonBodies(req: restify.Request, _res: restify.Response, next: (err?: unknown) => void): void {
  const hasBody = req.headers['content-length'] !== '0' || req.headers['transfer-encoding'] !== undefined;
  const type = req.headers['content-type'] ?? '';
  if (!hasBody || ACCEPTED.test(type)) return next();
  next(
    new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      415,
      `A request body must be JSON (Content-Type: application/json), not "${type.slice(0, 100) || 'none'}".`,
    ),
  );
}

/**
 * A request without a body leaves restify's empty Buffer in `req.body`, which a schema takes for
 * an object with no keys: `PATCH` with no body passed as `{}`. Routes see `undefined` instead.
 * Before JSON parsing, so a body of `""` (JSON for the empty string) stays a string.
 */
function noBodyIsUndefined(req: restify.Request, _res: restify.Response, next: () => void): void {
  const body: unknown = req.body;
  if ((typeof body === 'string' || body instanceof Uint8Array) && body.length === 0) req.body = undefined;
  next();
}

/** Before any parsing, for every route: see bodyDepth.ts. */
function rejectDeepBodies(req: restify.Request, _res: restify.Response, next: (err?: unknown) => void): void {
  const body: unknown = req.body;
  const raw = typeof body === 'string' || body instanceof Uint8Array ? body : undefined;
  if (raw && nestsDeeperThan(raw, MAX_BODY_DEPTH)) return next(new BodyTooDeepError(MAX_BODY_DEPTH));
  next();
}

/** Resolves with the bound port once listening (PORT=0 picks a free one). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      resolve(server.address().port);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
  });
}
