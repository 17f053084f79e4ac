/**
 * The CloudAdapter and its HTTP route. With MICROSOFT_APP_ID (and password, type, tenant) requests
 * are authenticated as usual; without one, unauthenticated requests are accepted as the Emulator
 * sends them, and replies go to the activity's `serviceUrl` with no token. An activity that is not
 * one (no type, conversation, sender or serviceUrl) is a 400 before any turn starts, so it
 * changes nothing.
 */
import {
  CloudAdapter,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { Config } from '../src/config';
import { ForbiddenError, ValidationError } from '../src/errors';
import type { Logger } from '../src/infra/logger';
import { CachingBotFrameworkAuthentication } from './connectorCache';
import { createTurnErrorHandler } from './errors';
import { loopbackUrl } from './loopback';

export const MESSAGES_PATH = '/api/messages';

export function createAdapter(bot: Config['bot'], log: Logger): CloudAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {};
  // Only the values that are set: an empty MicrosoftAppId is what switches authentication off.
  if (bot.appId) {
    options.MicrosoftAppId = bot.appId;
    options.MicrosoftAppType = bot.appType;
  }
  if (bot.appPassword) options.MicrosoftAppPassword = bot.appPassword;
  if (bot.tenantId) options.MicrosoftAppTenantId = bot.tenantId;
  const adapter = new CloudAdapter(new CachingBotFrameworkAuthentication(options));
  adapter.onTurnError = createTurnErrorHandler(log);
  return adapter;
}

const account = z.object({ id: z.string().min(1).max(500) }, { error: 'must be an object with an id' });
const activitySchema = z.looseObject(
  {
    type: z.string({ error: 'must be a string' }).min(1).max(100),
    id: z.string({ error: 'must be a string' }).max(500).optional(),
    channelId: z.string({ error: 'must be a string' }).min(1).max(100),
    serviceUrl: z.url({ error: 'must be a URL' }),
    conversation: account,
    from: account.optional(),
    recipient: account.optional(),
    text: z.string({ error: 'must be a string' }).optional(),
  },
  { error: 'the body must be an activity (a JSON object)' },
);

/** Throws ValidationError (400 through the restify error handler) for a malformed activity. */
export function checkActivity(body: unknown): void {
  const r = activitySchema.safeParse(body);
  const issue = r.error?.issues[0];
  if (issue) {
    const at = issue.path.join('.');
    throw new ValidationError(`Malformed activity: ${at ? `${at} ` : ''}${issue.message}`, { field: at });
  }
  if (r.data?.type === 'message' && !r.data.from) {
    throw new ValidationError('Malformed activity: a message needs from.id', { field: 'from' });
  }
}

/**
 * A channel may send `from.name: 12345`; replies echo the accounts back, and the connector client
 * refuses a name that is not text, so the bot fell silent. Names become text (or go) here.
 */
function normaliseNames(activity: Record<string, unknown>): void {
  const added: unknown[] = Array.isArray(activity.membersAdded) ? (activity.membersAdded as unknown[]) : [];
  const accounts: unknown[] = [activity.from, activity.recipient, ...added];
  for (const a of accounts) {
    if (typeof a !== 'object' || a === null || !('name' in a)) continue;
    const account = a as { name?: unknown };
    if (typeof account.name === 'number') account.name = String(account.name);
    else if (typeof account.name !== 'string') delete account.name;
  }
}

/**
 * Without an app id nothing proves who sent an activity, and the bot would post its replies to
 * whatever serviceUrl it names: then only loopback serviceUrls (the Emulator, `npm run chat`, the
 * console's Web Chat) are accepted, and the activity carries the checked (normal) form of the URL
 * from here on, so what is stored as the conversation reference is exactly what was checked.
 */
export function checkServiceUrl(body: unknown, authenticated: boolean): void {
  if (authenticated) return;
  const activity = body as { serviceUrl: string };
  const normal = loopbackUrl(activity.serviceUrl);
  if (!normal) {
    throw new ForbiddenError(
      'Without MICROSOFT_APP_ID the bot only answers activities whose serviceUrl is on this machine ' +
        '(127.0.0.0/8, [::1], localhost): set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD for a real channel.',
    );
  }
  activity.serviceUrl = normal;
}

/** `POST /api/messages` on the existing restify server. */
export function registerBotRoute(
  server: Server,
  adapter: CloudAdapter,
  logic: (context: TurnContext) => Promise<void>,
  authenticated = false,
): void {
  server.post(MESSAGES_PATH, async (req: Request, res: Response) => {
    checkActivity(req.body);
    checkServiceUrl(req.body, authenticated);
    normaliseNames(req.body as Record<string, unknown>);
    await adapter.process(req, res, logic);
  });
}
