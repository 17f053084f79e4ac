/**
 * Composition root as a function: config → database (chain) → mongoose → Agenda → restify.
 * `main.ts` runs it as a process; tests run it in-process. `stop()` is the graceful shutdown:
 * stop accepting requests, let running jobs finish (bounded), close the database, stop a database
 * child we started.
 */
import type { Server } from 'restify';
import type { Connection } from 'mongoose';
import { MESSAGES_PATH, registerBotRoute } from '../bot/adapter';
import { createBot, type Bot } from '../bot';
import { campaignReplies } from '../bot/campaignReplies';
import { createHandoff, type HandoffModule } from '../bot/handoff';
import { setupDirectLine } from '../bot/directline';
import type { BotProactiveSender } from '../bot/proactive';
import type { Config } from './config';
import { systemClock, type Clock } from './domain/ports/clock';
import { StopGate } from './domain/ports/sendGate';
import { provideDatabase, type ProvidedDatabase } from './infra/db/chain';
import { closeServer, createHttpServer, listen } from './infra/http/server';
import type { Logger } from './infra/logger';
import { connectMongo, pingMongo } from './infra/mongo';
import { createCoreServices, registerCoreRoutes } from './api';
import { registerCampaignRoutes } from './api/campaigns';
import { registerReportRoutes } from './api/reports';
import { IMPORT_MAX_BYTES, IMPORT_PATH } from './api/import';
import { registerSegmentRoutes } from './api/segments';
import { registerOpenApi } from './api/openapi';
import { registerConsole } from './console';
import { createCampaigns, type Campaigns } from './infra/campaigns';
import { ConversationRefRepo } from './infra/repos/conversationRefs';
import { SegmentService } from './domain/segments/service';
import { startLoop } from './infra/loop';
import { Membership } from './infra/membership';
import { Metrics } from './infra/metrics';
import { Reports } from './infra/reports';
import { scheduleSnapshots } from './infra/reports/snapshots';
import { SegmentRepo } from './infra/repos/segments';
import { createScheduler, type Scheduler } from './infra/scheduler';
import { recordStartup } from './infra/startups';
import { registerFlowRoutes } from './api/flows';
import { createFlows } from './infra/flows/create';
import type { FlowRuntime } from './infra/flows';
import { FlowAdmin } from './infra/flows/admin';
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
  // Issue 25: a stop first closes the gate, so no campaign wave, flow step or Agenda job starts
  // after the signal; the steps below then wait (bounded) for what is in flight to be recorded.
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

    // Campaigns send through the bot's proactive sender, which exists once the bot does.
    const late: { proactive?: BotProactiveSender } = {};
    const campaigns = createCampaigns({
      db,
      agenda: scheduler.agenda,
      sender: { sendToRef: (ref, text, who) => late.proactive!.sendToRef(ref, text, who) },
      refs: new ConversationRefRepo(db),
      segments: segmentRepo,
      templatesDir: config.bot.templatesDir,
      lockMs: config.campaigns.lockMs,
      concurrency: config.campaigns.concurrency,
      log,
      clock,
      gate,
    });
    await campaigns.ensureIndexes();

    // The bot after the core services: its pipeline resolves contacts and records conversations.
    // Human handoff runs before the built-in handlers: a live conversation's messages are the agent's.
    let handoff: HandoffModule | undefined;
    let flowAdmin: FlowAdmin | undefined;
    const bot = await createBot({
      config: config.bot,
      db,
      core,
      segments,
      membership,
      campaigns: campaigns.service,
      reports,
      log: log.child({ component: 'bot' }),
      handlers: (parts) => {
        handoff = createHandoff({
          db,
          roles: parts.roles,
          sender: parts.proactive,
          agenda: scheduler.agenda,
          timeoutMs: config.bot.handoffTimeoutMs,
          log,
          clock,
          activity: core.activity,
        });
        const flowCommands = createFlowCommandHandler({
          admin: () => {
            if (!flowAdmin) throw new Error('flows: the runtime is not ready yet');
            return flowAdmin;
          },
          contacts: core.contactRepo,
        });
        return [handoff.handler, flowCommands];
      },
    });
    late.proactive = bot.proactive;
    bot.adapter.use(campaignReplies((ws, id, at) => campaigns.recordReply(ws, id, at), clock, log));
    await handoff!.ensureIndexes();
    handoff!.defineJobs();
    campaigns.defineJobs();
    const handoffIdle = handoff!;
    cleanups.push(() => handoffIdle.idle()); // agent notices still on their way
    cleanups.push(() => campaigns.idle()); // issue 25: campaign sends in flight, and their records
    await scheduleSnapshots(scheduler.agenda, reports.snapshots, log.child({ component: 'reports' }));
    const flows = await createFlows(config, {
      db,
      scheduler,
      segmentRepo,
      membership,
      core,
      bot,
      handoff: handoff!,
      log,
      gate,
    });
    // Dispatch only once every subscriber (flows) is in place: a transition is delivered once per cursor.
    membership.start();
    cleanups.push(() => membership.stop());
    flows.start();
    cleanups.push(() => flows.stop());
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
    metrics.instrument(server);
    metrics.register(server, config.metricsToken);
    registerCoreRoutes(server, core, () => draining);
    registerSegmentRoutes(server, { segments, membership });
    registerReportRoutes(server, reports);
    registerFlowRoutes(server, { flows, segments });
    registerCampaignRoutes(server, {
      campaigns: campaigns.service,
      deliveries: campaigns.deliveries,
      resend: campaigns.resend,
    });
    registerOpenApi(server, config.version);
    registerConsole(server, config.projectRoot);
    registerBotRoute(server, bot.adapter, bot.logic, Boolean(config.bot.appId));
    let boundPort = 0;
    if (!config.bot.appId) {
      log.warn(
        `UNAUTHENTICATED BOT: MICROSOFT_APP_ID is not set, so anyone who can reach /api/messages can post ` +
          `as any user. Only loopback serviceUrls are answered, and admin and agent roles are ` +
          (config.bot.allowUnauthenticatedAdmins
            ? 'ON because BOT_ALLOW_UNAUTHENTICATED_ADMINS=true: use this only on a machine you trust.'
            : 'OFF (BOT_ALLOW_UNAUTHENTICATED_ADMINS=true turns them on for local use).'),
      );
      const purge = await setupDirectLine(server, {
        db,
        authenticate: (key) => core.apiKeys.authenticate(key),
        host: config.host,
        port: () => boundPort,
        log: log.child({ component: 'directline' }),
      });
      cleanups.push(() => purge.stop());
    }
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
      flows,
      stop: () => (stopping ??= cleanup()),
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
