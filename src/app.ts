/**
 * Composition root as a function: config → database (chain) → mongoose → Agenda → restify.
 * `main.ts` runs it as a process; tests run it in-process. `stop()` is the graceful shutdown:
 * stop accepting requests, let running jobs finish (bounded), close the database, stop a database
 * child we started.
 */
import type { Server } from 'restify';
import type { Connection } from 'mongoose';
import { registerBotRoute } from '../bot/adapter';
import { createBot, type Bot } from '../bot';
import { createHandoff, type HandoffModule } from '../bot/handoff';
import type { Config } from './config';
import { provideDatabase, type ProvidedDatabase } from './infra/db/chain';
import { closeServer, createHttpServer, listen } from './infra/http/server';
import type { Logger } from './infra/logger';
import { connectMongo, pingMongo } from './infra/mongo';
import { createCoreServices, registerCoreRoutes } from './api';
import { registerSegmentRoutes } from './api/segments';
import { SegmentService } from './domain/segments/service';
import { startLoop } from './infra/loop';
import { Membership } from './infra/membership';
import { SegmentRepo } from './infra/repos/segments';
import { createScheduler, type Scheduler } from './infra/scheduler';
import { recordStartup } from './infra/startups';

export interface App {
  port: number;
  engine: ProvidedDatabase['engine'];
  conn: Connection;
  scheduler: Scheduler;
  membership: Membership;
  server: Server;
  /** The bot: adapter, turn logic, roles, conversation references, proactive sender. */
  bot: Bot;
  stop(): Promise<void>;
}

export async function startApp(
  config: Config,
  log: Logger,
  purpose: 'start' | 'test' = 'start',
): Promise<App> {
  const provided = await provideDatabase(config, { purpose, log });
  const cleanups: (() => Promise<void>)[] = [() => provided.stop()];
  const cleanup = async () => {
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

    const segmentRepo = new SegmentRepo(db);
    await segmentRepo.ensureIndexes();
    const membership = new Membership(db, segmentRepo, log.child({ component: 'membership' }));
    await membership.ensureIndexes();
    membership.start();
    cleanups.push(() => membership.stop());
    const core = await createCoreServices(db, {
      adminApiKey: config.adminApiKey,
      listener: membership.engine,
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
      now: membership.clock,
      definitionChanged: (ws, id) => membership.rebuilder.request(ws, id),
    });

    // The bot after the core services: its pipeline resolves contacts and records conversations.
    // Human handoff runs before the built-in handlers: a live conversation's messages are the agent's.
    let handoff: HandoffModule | undefined;
    const bot = await createBot({
      config: config.bot,
      db,
      core,
      segments,
      membership,
      log: log.child({ component: 'bot' }),
      handlers: (parts) => {
        handoff = createHandoff({
          db,
          roles: parts.roles,
          sender: parts.proactive,
          agenda: scheduler.agenda,
          timeoutMs: config.bot.handoffTimeoutMs,
          log,
          activity: core.activity,
        });
        return [handoff.handler];
      },
    });
    await handoff!.ensureIndexes();
    handoff!.defineJobs();
    // Start processing jobs only once every job is defined.
    await scheduler.start();
    cleanups.push(() => scheduler.stop(config.shutdownTimeoutMs));

    const server = createHttpServer({
      log: log.child({ component: 'http' }),
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
    registerCoreRoutes(server, core);
    registerSegmentRoutes(server, { segments, membership });
    registerBotRoute(server, bot.adapter, bot.logic);
    const port = await listen(server, config.port, config.host);
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
      server,
      bot,
      stop: () => (stopping ??= cleanup()),
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
