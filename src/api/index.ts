/**
 * Wiring for workspaces, contacts and events: build the services on a `Db`, create their
 * indexes, and register auth + routes on the restify server (auth first).
 */
import type { Db } from 'mongodb';
import type { Server } from 'restify';
import type { ContactChangeListener } from '../domain/contacts/types';
import { ContactService } from '../domain/contacts/service';
import { ActivityService } from '../domain/conversations/service';
import { EventService } from '../domain/events/service';
import { ApiKeyService } from '../domain/workspaces/apiKeys';
import { MongoApiKeyRepo } from '../infra/repos/apiKeys';
import { ContactActivityRepo } from '../infra/repos/contactActivity';
import { MongoContactRepo } from '../infra/repos/contacts';
import { MongoEventRepo } from '../infra/repos/events';
import { registerAuth } from './auth';
import { registerContactRoutes } from './contacts';
import { registerEventRoutes } from './events';

export interface CoreServices {
  apiKeys: ApiKeyService;
  contacts: ContactService;
  events: EventService;
  contactRepo: MongoContactRepo;
  /** Bot messages and handoff state as contact traits (conversation-aware rules). */
  activity: ActivityService;
}

export interface CoreOptions {
  adminApiKey?: string;
  listener: ContactChangeListener;
  clock?: () => Date;
}

/** Creates the indexes (idempotent) and the services. */
export async function createCoreServices(db: Db, opts: CoreOptions): Promise<CoreServices> {
  await Promise.all([
    MongoApiKeyRepo.ensureIndexes(db),
    MongoContactRepo.ensureIndexes(db),
    MongoEventRepo.ensureIndexes(db),
  ]);
  const contactRepo = new MongoContactRepo(db);
  const { listener, clock } = opts;
  return {
    apiKeys: new ApiKeyService(new MongoApiKeyRepo(db), opts.adminApiKey, clock),
    contacts: new ContactService({ repo: contactRepo, listener, clock }),
    events: new EventService({ events: new MongoEventRepo(db), contacts: contactRepo, listener, clock }),
    contactRepo,
    activity: new ActivityService(new ContactActivityRepo(db), listener, clock),
  };
}

/** Auth for /api/v1/*, then the contact and event routes. */
export function registerCoreRoutes(server: Server, services: CoreServices): void {
  registerAuth(server, services);
  registerContactRoutes(server, services);
  registerEventRoutes(server, services);
}
