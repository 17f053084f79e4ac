/**
 * The core services (workspaces and keys, contacts, events, import, conversation activity), built
 * on their MongoDB repositories. Part of the composition root: the only place where these
 * adapters are constructed; the API, the bot and the tools receive the services.
 */
import type { Db } from 'mongodb';
import type { ContactChangeListener } from '../domain/contacts/types';
import { ImportService, type BulkChangeListener } from '../domain/contacts/import';
import { ContactService } from '../domain/contacts/service';
import { ActivityService } from '../domain/conversations/service';
import { EventService } from '../domain/events/service';
import { ApiKeyService } from '../domain/workspaces/apiKeys';
import { WorkspaceService } from '../domain/workspaces/workspaces';
import { MongoApiKeyRepo } from '../infra/repos/apiKeys';
import { ContactActivityRepo } from '../infra/repos/contactActivity';
import { MongoContactRepo } from '../infra/repos/contacts';
import { MongoEventRepo } from '../infra/repos/events';
import { MongoWorkspaceRepo } from '../infra/repos/workspaces';

export interface CoreServices {
  apiKeys: ApiKeyService;
  contacts: ContactService;
  events: EventService;
  contactRepo: MongoContactRepo;
  workspaces: WorkspaceService;
  importer: ImportService;
  /** Bot messages and handoff state as contact traits (conversation-aware rules). */
  activity: ActivityService;
}

export interface CoreOptions {
  adminApiKey?: string;
  listener: ContactChangeListener;
  /** Membership for many contacts at once (the engine); else each is evaluated on its own. */
  bulkListener?: BulkChangeListener;
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
  const apiKeys = new ApiKeyService(new MongoApiKeyRepo(db), opts.adminApiKey, clock);
  const contacts = new ContactService({ repo: contactRepo, listener, clock });
  const bulk: BulkChangeListener = opts.bulkListener ?? {
    evaluateMany: async (ws, ids, cause) => {
      for (const id of ids) await listener.contactChanged(ws, id, cause);
    },
  };
  return {
    apiKeys,
    workspaces: new WorkspaceService(new MongoWorkspaceRepo(db), apiKeys, clock),
    contacts,
    events: new EventService({
      events: new MongoEventRepo(db),
      contacts: contactRepo,
      listener,
      bulk,
      clock,
    }),
    contactRepo,
    importer: new ImportService({ contacts, repo: contactRepo, listener: bulk, clock }),
    activity: new ActivityService(new ContactActivityRepo(db), listener, clock),
  };
}
