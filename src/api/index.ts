/**
 * Auth, then the workspace, contact, event and import routes, on services built by the
 * composition root (src/compose/core.ts).
 */
import type { Server } from 'restify';
import type { ImportService } from '../domain/contacts/import';
import type { ContactService } from '../domain/contacts/service';
import type { EventService } from '../domain/events/service';
import type { ApiKeyService } from '../domain/workspaces/apiKeys';
import type { WorkspaceService } from '../domain/workspaces/workspaces';
import { registerAdminRoutes } from './admin';
import { registerAuth } from './auth';
import { registerContactRoutes } from './contacts';
import { registerEventRoutes } from './events';
import { registerImportRoute } from './import';

/** The services the core routes call. */
export interface CoreRouteServices {
  apiKeys: ApiKeyService;
  contacts: ContactService;
  events: EventService;
  workspaces: WorkspaceService;
  importer: ImportService;
}

/** Auth for /api/v1/*, then the contact and event routes. */
export function registerCoreRoutes(
  server: Server,
  services: CoreRouteServices,
  draining?: () => boolean,
): void {
  registerAuth(server, services);
  // Before /contacts/:id, so "import" is never taken for an id.
  registerImportRoute(server, services);
  registerContactRoutes(server, services);
  registerEventRoutes(server, { events: services.events, ...(draining ? { draining } : {}) });
  registerAdminRoutes(server, services.workspaces);
}
