/**
 * A small Direct Line 3.0 service on the bot's own server, so Web Chat in the console can talk to
 * the bot with no Azure account. Client side (what botframework-webchat calls, polling):
 * `POST /v3/directline/tokens/generate` (with a workspace API key), `tokens/refresh`,
 * `POST /v3/directline/conversations`, `GET|POST /v3/directline/conversations/:id/activities`.
 * Bot side: the user's activities go to the bot through the real `POST /api/messages` (CloudAdapter)
 * with `serviceUrl` pointing back here, and the bot's replies arrive as a channel's connector
 * receives them, at `POST /v3/conversations/:id/activities[/:replyToId]`.
 */
import { randomBytes } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { AppError, NotFoundError, UnauthorizedError, ValidationError } from '../../src/errors';
import type { Logger } from '../../src/infra/logger';
import type { DirectLineConversation, DirectLineStore } from './store';
import { BotForwarder } from './forward';

export const DIRECTLINE_PREFIX = '/v3/directline';

/** A key of another workspace asked for a token: the bot speaks only for its own workspace. */
export class DirectLineWorkspaceError extends AppError {
  constructor(botWorkspaceId: string) {
    super(
      'DIRECTLINE_WRONG_WORKSPACE',
      403,
      `Direct Line tokens are issued only with an API key of the bot's workspace ("${botWorkspaceId}", ` +
        'BOT_WORKSPACE_ID): a key of another workspace may not speak as its chat contacts',
    );
  }
}

/** Who issued a token: a valid key's workspace and digest (see ApiKeyService.principal). */
export interface Issuer {
  workspaceId: string;
  keyHash: string;
}

export interface DirectLineDeps {
  store: DirectLineStore;
  /** The issuer of a valid API key, or null. */
  principal: (apiKey: string) => Promise<Issuer | null>;
  /** False once the key that issued a token is revoked (or no longer configured). */
  isLive: (issuer: Issuer) => Promise<boolean>;
  /** The workspace the bot serves: only its keys issue tokens (its contacts are the chat users). */
  botWorkspaceId: string;
  /** Base URL of this server as the bot reaches it, e.g. `http://127.0.0.1:3978` (known after listen). */
  selfUrl: () => string;
  log: Logger;
}

const generateBody = z
  .strictObject({
    user: z
      .strictObject({
        id: z.string().regex(/^[A-Za-z0-9_.:@-]{1,100}$/, 'user.id: 1-100 letters, digits, _ . : @ -'),
        name: z.string().trim().min(1).max(100).optional(),
      })
      .optional(),
  })
  .optional();

const activityBody = z.looseObject({ type: z.string().min(1).max(100) }, { error: 'expected an activity' });

const bearer = (req: Request): string => {
  const m = /^Bearer[ \t]+(\S{1,500})[ \t]*$/i.exec(String(req.headers.authorization ?? ''));
  if (!m?.[1]) throw new UnauthorizedError('Send "Authorization: Bearer <token or API key>"');
  return m[1];
};
const param = (req: Request, name: string): string => {
  const v = (req.params as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
};

function view(c: DirectLineConversation, token: string) {
  const expiresIn = Math.max(0, Math.round((c.expiresAt.getTime() - Date.now()) / 1000));
  return { conversationId: c._id, token, expires_in: expiresIn };
}

export function registerDirectLine(server: Server, deps: DirectLineDeps): void {
  const { store } = deps;
  const forward = new BotForwarder(deps.selfUrl, deps.log);

  /**
   * A new conversation for the caller's API key; the body may name the user. Naming a user is
   * speaking as that chat contact, so only the bot's own workspace may do it (its keys can read and
   * message those contacts through the REST API anyway); other workspaces are refused before anything is stored.
   */
  const open = async (req: Request) => {
    const issuer = await deps.principal(bearer(req));
    if (issuer === null) throw new UnauthorizedError();
    if (issuer.workspaceId !== deps.botWorkspaceId) throw new DirectLineWorkspaceError(deps.botWorkspaceId);
    const parsed = generateBody.safeParse(req.body ?? undefined);
    if (!parsed.success) throw new ValidationError(parsed.error.issues[0]?.message ?? 'invalid body');
    const id = parsed.data?.user?.id ?? `dl_${randomBytes(6).toString('hex')}`;
    return store.create({ id, name: parsed.data?.user?.name ?? id }, issuer);
  };

  /** A token's conversation while the key that issued it is still valid, else null. */
  const live = async (token: string) => {
    const c = await store.byToken(token);
    if (!c?.keyHash) return null; // unknown, expired, or issued before tokens were bound to keys
    return (await deps.isLive({ workspaceId: c.workspaceId, keyHash: c.keyHash })) ? c : null;
  };

  /** The conversation a token opens; a token for another conversation is refused. */
  const conversationOf = async (req: Request, id?: string) => {
    const token = bearer(req);
    const c = await live(token);
    if (!c) throw new UnauthorizedError('Unknown, expired or revoked Direct Line token');
    if (id !== undefined && id !== c._id) throw new NotFoundError('conversation', id);
    return { c, token };
  };

  server.post(`${DIRECTLINE_PREFIX}/tokens/generate`, async (req: Request, res: Response) => {
    const { conversation, token } = await open(req);
    res.send(200, view(conversation, token));
  });

  server.post(`${DIRECTLINE_PREFIX}/tokens/refresh`, async (req: Request, res: Response) => {
    const { c, token } = await conversationOf(req);
    res.send(200, view({ ...c, expiresAt: await store.refresh(c._id) }, token));
  });

  // With a token: the token's conversation. With an API key (Direct Line's "secret"): a new one.
  server.post(`${DIRECTLINE_PREFIX}/conversations`, async (req: Request, res: Response) => {
    const byToken = await live(bearer(req));
    const { conversation, token } = byToken ? { conversation: byToken, token: bearer(req) } : await open(req);
    if (await store.markStarted(conversation._id)) {
      await forward.send(conversation, {
        type: 'conversationUpdate',
        membersAdded: [{ id: 'bot', name: 'Segments' }, conversation.user],
      });
    }
    res.send(201, view(conversation, token));
  });

  server.get(`${DIRECTLINE_PREFIX}/conversations/:id/activities`, async (req: Request, res: Response) => {
    const { c } = await conversationOf(req, param(req, 'id'));
    const raw = (req.query as Record<string, unknown> | undefined)?.watermark;
    const after = raw === undefined || raw === '' ? 0 : Number(raw);
    if (!Number.isInteger(after) || after < 0) throw new ValidationError('watermark must be a whole number');
    const page = await store.since(c._id, after);
    res.send(200, { activities: page.activities, watermark: String(page.watermark) });
  });

  server.post(`${DIRECTLINE_PREFIX}/conversations/:id/activities`, async (req: Request, res: Response) => {
    const { c } = await conversationOf(req, param(req, 'id'));
    const body = activityBody.safeParse(req.body);
    if (!body.success) throw new ValidationError('The body must be an activity with a type');
    // The token decides who speaks: a client cannot post as someone else.
    const stored = await store.append(c._id, {
      ...body.data,
      channelId: 'directline',
      from: { ...c.user, role: 'user' },
      conversation: { id: c._id },
      recipient: { id: 'bot', name: 'Segments', role: 'bot' },
    });
    await forward.send(c, stored);
    res.send(200, { id: stored.id });
  });

  // The bot's replies (its connector client posts here because of the serviceUrl we gave it).
  const fromBot = async (req: Request, res: Response) => {
    const c = await store.get(param(req, 'conversationId'));
    if (!c) throw new NotFoundError('conversation', param(req, 'conversationId'));
    const body = activityBody.safeParse(req.body);
    if (!body.success) throw new ValidationError('The body must be an activity with a type');
    const replyToId = param(req, 'replyToId');
    const stored = await store.append(c._id, {
      ...body.data,
      conversation: { id: c._id },
      ...(replyToId ? { replyToId } : {}),
    });
    res.send(200, { id: stored.id });
  };
  server.post('/v3/conversations/:conversationId/activities', fromBot);
  server.post('/v3/conversations/:conversationId/activities/:replyToId', fromBot);
}
