/**
 * The HTTP surface (part of the composition root): metrics, the REST API, OpenAPI, the console,
 * the bot's `/api/messages` and, without an app id, the built-in Direct Line service.
 */
import type { Db } from 'mongodb';
import type { Server } from 'restify';
import type { Bot } from '../../bot';
import { registerBotRoute } from '../../bot/adapter';
import { setupDirectLine } from '../../bot/directline';
import { registerCoreRoutes } from '../api';
import { registerCampaignRoutes } from '../api/campaigns';
import { registerFlowRoutes } from '../api/flows';
import { registerOpenApi } from '../api/openapi';
import { registerReportRoutes } from '../api/reports';
import { registerSegmentRoutes } from '../api/segments';
import type { Config } from '../config';
import { registerConsole } from '../console';
import type { SegmentService } from '../domain/segments/service';
import type { Campaigns } from '../infra/campaigns';
import type { Logger } from '../infra/logger';
import type { Loop } from '../infra/loop';
import type { Membership } from '../infra/membership';
import type { Metrics } from '../infra/metrics';
import type { Reports } from '../infra/reports';
import type { CoreServices } from './core';
import type { Flows } from './flows';

export interface RouteParts {
  config: Config;
  log: Logger;
  db: Db;
  draining: () => boolean;
  /** The port the server listens on; asked only by requests, which come after listen. */
  port: () => number;
  metrics: Metrics;
  core: CoreServices;
  segments: SegmentService;
  membership: Membership;
  reports: Reports;
  flows: Flows;
  campaigns: Campaigns;
  bot: Bot;
}

/** Registers every route; returns the Direct Line purge loop when that service is on. */
export async function registerRoutes(server: Server, p: RouteParts): Promise<Loop | undefined> {
  const { config, log } = p;
  p.metrics.instrument(server);
  p.metrics.register(server, config.metricsToken);
  registerCoreRoutes(server, p.core, p.draining);
  registerSegmentRoutes(server, { segments: p.segments, membership: p.membership });
  registerReportRoutes(server, p.reports);
  registerFlowRoutes(server, { flows: p.flows.runtime, admin: p.flows.admin });
  registerCampaignRoutes(server, {
    campaigns: p.campaigns.service,
    deliveries: p.campaigns.deliveries,
    contacts: p.core.contacts,
    resend: p.campaigns.resend,
  });
  registerOpenApi(server, config.version);
  registerConsole(server, config.projectRoot);
  registerBotRoute(server, p.bot.adapter, p.bot.logic, Boolean(config.bot.appId));
  if (config.bot.appId) return undefined;
  log.warn(
    `UNAUTHENTICATED BOT: MICROSOFT_APP_ID is not set, so anyone who can reach /api/messages can post ` +
      `as any user. Only loopback serviceUrls are answered, and admin and agent roles are ` +
      (config.bot.allowUnauthenticatedAdmins
        ? 'ON because BOT_ALLOW_UNAUTHENTICATED_ADMINS=true: use this only on a machine you trust.'
        : 'OFF (BOT_ALLOW_UNAUTHENTICATED_ADMINS=true turns them on for local use).'),
  );
  return setupDirectLine(server, {
    db: p.db,
    principal: (key) => p.core.apiKeys.principal(key),
    isLive: (issuer) => p.core.apiKeys.isLive(issuer),
    botWorkspaceId: config.bot.workspaceId,
    host: config.host,
    port: p.port,
    log: log.child({ component: 'directline' }),
  });
}
