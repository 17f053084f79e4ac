/**
 * Prometheus metrics (prom-client) on `GET /metrics`: HTTP requests by route and status, bot turn
 * latency, transitions per cause, sweeper and dispatcher lag, Agenda queue depth and database
 * errors, plus the process defaults. One registry per app, so two apps in one process (tests,
 * benchmarks) never share counters. Gauges that need the database are read at scrape time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Db, MongoClient } from 'mongodb';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Request, Response, Route, Server } from 'restify';
import type { Transition } from '../domain/membership/transitions';
import { UnauthorizedError } from '../errors';

export interface MetricsProbes {
  sweeperLagMs(): Promise<number>;
  dispatcherLagMs(): Promise<number>;
}

const ACTIVITY_TYPES = new Set(['message', 'conversationUpdate', 'event', 'invoke', 'typing']);

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route'>;
  private readonly turns: Histogram<'type'>;
  private readonly transitions: Counter<'cause' | 'kind'>;
  private readonly dbErrors: Counter<'command'>;

  constructor(opts: { botPath: string; db: Db; probes: MetricsProbes }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'segments_http_requests_total',
      help: 'HTTP requests by method, route (the pattern, not the URL) and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'segments_http_request_duration_seconds',
      help: 'HTTP request duration by method and route',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.turns = new Histogram({
      name: 'segments_bot_turn_seconds',
      help: 'Bot turn latency: from the activity POST to the response, replies delivered',
      labelNames: ['type'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.transitions = new Counter({
      name: 'segments_transitions_total',
      help: 'Segment transitions dispatched by this process, by cause and kind',
      labelNames: ['cause', 'kind'],
      registers,
    });
    this.dbErrors = new Counter({
      name: 'segments_db_errors_total',
      help: 'Database commands that failed, by command name (connection errors: command="connection")',
      labelNames: ['command'],
      registers,
    });
    const { probes, db } = opts;
    new Gauge({
      name: 'segments_sweeper_lag_seconds',
      help: 'How long the oldest due time-based recheck has been waiting',
      registers,
      async collect() {
        this.set((await probes.sweeperLagMs()) / 1000);
      },
    });
    new Gauge({
      name: 'segments_dispatcher_lag_seconds',
      help: 'How long the oldest transition not yet handed to subscribers has been waiting',
      registers,
      async collect() {
        this.set((await probes.dispatcherLagMs()) / 1000);
      },
    });
    new Gauge({
      name: 'segments_agenda_jobs',
      help: 'Agenda jobs due and not running (state="due") and running (state="running")',
      labelNames: ['state'],
      registers,
      async collect() {
        const jobs = db.collection('agendaJobs');
        const now = new Date();
        const [due, running] = await Promise.all([
          jobs.countDocuments({ nextRunAt: { $lte: now }, lockedAt: null, disabled: { $ne: true } }),
          jobs.countDocuments({ lockedAt: { $ne: null } }),
        ]);
        this.set({ state: 'due' }, due);
        this.set({ state: 'running' }, running);
      },
    });
    this.botPath = opts.botPath;
  }

  private readonly botPath: string;

  /** Counts every response of the server (its 'after' event fires once per request). */
  instrument(server: Server): void {
    server.on('after', (req: Request, res: Response, route: Route | undefined) => {
      const path = route?.spec?.path;
      const routeLabel = typeof path === 'string' ? path : 'unmatched';
      const seconds = (Date.now() - req.time()) / 1000;
      this.requests.inc({ method: req.method ?? 'GET', route: routeLabel, status: String(res.statusCode) });
      this.duration.observe({ method: req.method ?? 'GET', route: routeLabel }, seconds);
      if (routeLabel === this.botPath && res.statusCode < 400) {
        const t: unknown = (req.body as { type?: unknown } | undefined)?.type;
        this.turns.observe({ type: typeof t === 'string' && ACTIVITY_TYPES.has(t) ? t : 'other' }, seconds);
      }
    });
  }

  /** A dispatcher subscriber: counts transitions per cause and kind. */
  readonly onTransition = (t: Transition): Promise<void> => {
    this.transitions.inc({ cause: t.cause, kind: t.kind });
    return Promise.resolve();
  };

  /** Counts failed commands (the client must be created with `monitorCommands: true`). */
  watchDatabase(client: MongoClient, onConnectionError: (listener: () => void) => void): void {
    client.on('commandFailed', (e) => this.dbErrors.inc({ command: e.commandName }));
    onConnectionError(() => this.dbErrors.inc({ command: 'connection' }));
  }

  /** `GET /metrics`; with a token, only for `Authorization: Bearer <token>`. */
  register(server: Server, token: string | undefined): void {
    server.get('/metrics', async (req: Request, res: Response) => {
      if (token !== undefined && !sameSecret(req.headers.authorization, `Bearer ${token}`))
        throw new UnauthorizedError(
          'Missing or invalid metrics token: send "Authorization: Bearer <METRICS_TOKEN>"',
        );
      res.sendRaw(200, await this.registry.metrics(), { 'content-type': this.registry.contentType });
    });
  }
}

/** Compares in constant time (hashes first, so lengths do not leak either). */
function sameSecret(given: string | undefined, expected: string): boolean {
  const h = (v: string) => createHash('sha256').update(v).digest();
  return given !== undefined && timingSafeEqual(h(given), h(expected));
}
