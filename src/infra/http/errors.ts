/**
 * The one place errors become HTTP responses: named errors keep their status and code, restify's
 * own (404 route, 405, bad JSON, oversize body) keep theirs, anything else is a 500 whose details
 * stay in the log. Never a stack trace on the wire.
 */
import { AppError } from '../../errors';

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** restify-errors have `statusCode` and a `body.code` like "ResourceNotFound". */
interface RestifyLikeError {
  statusCode?: number;
  body?: { code?: string; message?: string };
  message?: string;
}

const RESTIFY_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
};

export function toHttpError(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof AppError) {
    const error = { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
    return { status: err.status, body: { error } };
  }
  // MongoDB's MaxTimeMSExpired: a query over its deadline (see PREVIEW_MAX_MS).
  if ((err as { code?: unknown })?.code === 50) {
    const message = 'The query took too long and was stopped: narrow the rule (fewer or shorter text tests).';
    return { status: 429, body: { error: { code: 'QUERY_TOO_SLOW', message } } };
  }
  const r = err as RestifyLikeError;
  const status = typeof r?.statusCode === 'number' ? r.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = RESTIFY_CODES[status] ?? 'BAD_REQUEST';
    return { status, body: { error: { code, message: r.body?.message || r.message || code } } };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'Internal server error' } } };
}
