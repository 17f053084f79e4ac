/**
 * The composition root: the one place that constructs the infra adapters and hands them to the
 * services, the bot and the API, in dependency order (config → database chain → repositories →
 * membership → core services → the bot's sender → campaigns, handoff, workflows → bot logic →
 * HTTP). Its parts live in src/compose/. `main.ts` runs it as a process; tests run it in-process. `stop()` is the graceful shutdown:
 * stop accepting requests, let running jobs finish (bounded), close the database, stop a database
 * child we started.
 */
import type { Server } from 'restify';
import type { Connection } from 'mongoose';
import { MESSAGES_PATH } from '../bot/adapter';
import { createBot, type Bot } from '../bot';
import { campaignReplies } from '../bot/campaignReplies';
import { createHandoff } from '../bot/handoff';
import type { Config } from './config';
import { systemClock, type Clock } from './domain/ports/clock';
import { StopGate } from './domain/ports/sendGate';
import { provideDatabase, type ProvidedDatabase } from './infra/db/chain';
import { closeServer, createHttpServer, listen } from './infra/http/server';
import type { Logger } from './infra/logger';
import { connectMongo, pingMongo } from './infra/mongo';
import { createCoreServices } from './compose/core';
import { IMPORT_MAX_BYTES, IMPORT_PATH } from './api/import';
import { createCampaigns, type Campaigns } from './infra/campaigns';
import { SegmentService } from './domain/segments/service';
import type { WorkspaceService } from './domain/workspaces/workspaces';
import { startLoop } from './infra/loop';
import { Membership } from './infra/membership';
import { Metrics } from './infra/metrics';
import { Reports } from './infra/reports';
import { scheduleSnapshots } from './infra/reports/snapshots';
import { SegmentRepo } from './infra/repos/segments';
import { createScheduler, type Scheduler } from './infra/scheduler';
import { recordStartup } from './infra/startups';
import { createBotParts } from './compose/bot';
import { createFlows } from './compose/flows';
import { registerRoutes } from './compose/http';
import { HandoffRepo } from './infra/repos/handoffs';
import type { FlowRuntime } from './infra/flows';
import { createFlowCommandHandler } from '../bot/admin/flows';

export interface App {
  port: number;
  engine: ProvidedDatabase['engine'];
  conn: Connection;
  scheduler: Scheduler;
  membership: Membership;
  /** Reports: history, comparison, freshness, charts, the daily snapshot job. */
  reports: Reports;
  metrics: Metrics;
  server: Server;
  /** The bot: adapter, turn logic, roles, conversation references, proactive sender. */
  bot: Bot;
  campaigns: Campaigns;
  /** Workflows: bindings, instances, the stepper. */
  flows: FlowRuntime;
  /** Workspaces and their keys (main.ts makes the first run's sign-in key with it). */
  workspaces: WorkspaceService;
  stop(): Promise<void>;
}

export interface AppHooks {
  /** The app cannot go on (its database child died): `main.ts` shuts the process down. */
  onFatal?: (why: string) => void;
  /** Business time for every module (sweeper, rebuilds, schedules, reports); default the system clock. */
  clock?: Clock;
}

export async function startApp(
  config: Config,
  log: Logger,
  purpose: 'start' | 'test' = 'start',
  hooks: AppHooks = {},
): Promise<App> {
  const clock = hooks.clock ?? systemClock;
  const provided = await provideDatabase(config, { purpose, log });
  // Without its database every request would fail after a timeout: say why, and let main exit.
  void provided.died?.then((why) => {
    log.fatal(why);
    hooks.onFatal?.(why);
  });
  const cleanups: (() => Promise<void>)[] = [() => provided.stop()];
  let draining = false;
  // A stop first closes the gate, so no campaign wave, flow step or Agenda job starts after the
  // signal; the steps below then wait (bounded) for what is in flight to be recorded.
  const gate = new StopGate();
  const cleanup = async () => {
    draining = true;
    gate.close();
    for (const fn of cleanups.reverse())
      await fn().catch((err: unknown) => log.error({ err }, 'shutdown step failed'));
  };
  try {
    const conn = await connectMongo(provided.uri, config.dbName, log);
    cleanups.push(() => conn.close());
    const startups = await recordStartup(conn, config.version);
    log.info({ startups }, `startup #${startups} on this database`);

    const db = conn.db!;
    const scheduler = createScheduler(db, {
      processEveryMs: config.agendaProcessEveryMs,
      name: `segments-${process.pid}`,
      log: log.child({ component: 'scheduler' }),
    });
    // Agenda takes no new job from the signal on (its own step below waits for the running ones).
    gate.onClose(() => void scheduler.stop(config.shutdownTimeoutMs).catch(() => undefined));

    const segmentRepo = new SegmentRepo(db);
    await segmentRepo.ensureIndexes();
    const membership = new Membership(db, segmentRepo, log.child({ component: 'membership' }), { clock });
    await membership.ensureIndexes();
    const reports = new Reports(db, segmentRepo, membership, {
      statsAges: config.reportStats,
      log: log.child({ component: 'reports' }),
    });
    await reports.ensureIndexes();
    cleanups.push(() => reports.close());
    const metrics = new Metrics({ botPath: MESSAGES_PATH, db, probes: reports.queries });
    metrics.watchDatabase(conn.getClient(), (listener) => conn.on('error', listener));
    membership.dispatcher.subscribe('metrics', metrics.onTransition);
    const core = await createCoreServices(db, {
      adminApiKey: config.adminApiKey,
      listener: membership.engine,
      bulkListener: membership.engine,
      clock,
    });
    // Events left `pending` by a process that died between storing and applying them.
    const pendingEvents = startLoop(
      'pending-events',
      5000,
      () => core.events.applyPendingEvents(30_000),
      log,
    );
    cleanups.push(() => pendingEvents.stop());
    const segments = new SegmentService({
      store: segmentRepo,
      now: clock,
      definitionChanged: (ws, id) => membership.rebuilder.request(ws, id),
    });

    // The bot's adapters and its proactive sender first: campaigns, the handoff and workflows
    // message people through it, so each is built with a sender that works.
    const botLog = log.child({ component: 'bot' });
    const botParts = await createBotParts(db, config.bot, core.contactRepo, botLog);
    const campaigns = createCampaigns({
      db,
      agenda: scheduler.agenda,
      sender: botParts.proactive,
      refs: botParts.refs,
      segments: segmentRepo,
      templatesDir: config.bot.templatesDir,
      lockMs: config.campaigns.lockMs,
      concurrency: config.campaigns.concurrency,
      log,
      clock,
      gate,
    });
    await campaigns.ensureIndexes();
    const handoffRepo = new HandoffRepo(db);
    const handoff = createHandoff({
      repo: handoffRepo,
      roles: botParts.roles,
      sender: botParts.proactive,
      agenda: scheduler.agenda,
      timeoutMs: config.bot.handoffTimeoutMs,
      log,
      clock,
      activity: core.activity,
    });
    await handoff.ensureIndexes();
    const flows = await createFlows(config, {
      db,
      scheduler,
      segmentRepo,
      segments,
      membership,
      contacts: core.contacts,
      contactRepo: core.contactRepo,
      proactive: botParts.proactive,
      refs: botParts.refs,
      handoff,
      clock,
      log,
      gate,
    });
    // Human handoff runs before the built-in handlers: a live conversation's messages are the agent's.
    const bot = createBot({
      config: config.bot,
      parts: botParts,
      contacts: core.contacts,
      activity: core.activity,
      contactRepo: core.contactRepo,
      segments,
      membership,
      campaigns: campaigns.service,
      reports,
      clock,
      log: botLog,
      handoffs: handoffRepo,
      welcomeFlows: flows.runtime,
      handlers: [
        handoff.handler,
        createFlowCommandHandler({ admin: () => flows.admin, contacts: core.contactRepo }),
      ],
    });
    bot.adapter.use(campaignReplies((ws, id, at) => campaigns.recordReply(ws, id, at), clock, log));
    handoff.defineJobs();
    campaigns.defineJobs();
    cleanups.push(() => handoff.idle()); // agent notices still on their way
    cleanups.push(() => campaigns.idle()); // campaign sends in flight, and their records
    await scheduleSnapshots(scheduler.agenda, reports.snapshots, log.child({ component: 'reports' }));
    // Dispatch only once every subscriber (flows) is in place: a transition is delivered once per cursor.
    membership.start();
    cleanups.push(() => membership.stop());
    flows.runtime.start();
    cleanups.push(() => flows.runtime.stop());
    // Start processing jobs only once every job is defined.
    await scheduler.start();
    cleanups.push(() => scheduler.stop(config.shutdownTimeoutMs));

    const server = createHttpServer({
      log: log.child({ component: 'http' }),
      draining: () => draining,
      largeBodies: { pathPrefix: IMPORT_PATH, maxBytes: IMPORT_MAX_BYTES },
      health: async () => {
        const dbOk = await pingMongo(conn);
        const sched = scheduler.state();
        const ok = dbOk && sched === 'ok';
        return {
          status: ok ? 'ok' : 'degraded',
          db: dbOk ? 'ok' : 'down',
          scheduler: sched,
          version: config.version,
          startups,
        };
      },
    });
    let boundPort = 0;
    const purge = await registerRoutes(server, {
      config,
      log,
      db,
      draining: () => draining,
      port: () => boundPort,
      metrics,
      core,
      segments,
      membership,
      reports,
      flows,
      campaigns,
      bot,
    });
    if (purge) cleanups.push(() => purge.stop());
    const port = await listen(server, config.port, config.host);
    boundPort = port;
    cleanups.push(() => closeServer(server));
    log.info(
      { port, host: config.host, engine: provided.engine },
      `listening on http://${config.host}:${port}`,
    );
    let stopping: Promise<void> | undefined;
    return {
      port,
      engine: provided.engine,
      conn,
      scheduler,
      membership,
      reports,
      metrics,
      server,
      bot,
      campaigns,
      flows: flows.runtime,
      workspaces: core.workspaces,
      stop: () => (stopping ??= cleanup()),
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
