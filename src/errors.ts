/**
 * The named errors of Segments. Each carries a stable `code` (clients match on it) and the HTTP
 * status it maps to. They become HTTP responses in the restify error handler and bot replies in
 * the bot's onTurnError: nowhere else.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A request or command whose input is wrong; `details` says what and where. */
export class ValidationError extends AppError {
  constructor(message: string, details?: Record<string, unknown>, code = 'VALIDATION_FAILED') {
    super(code, 400, message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', 404, `${what} ${id} was not found`, { what, id });
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('CONFLICT', 409, message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Missing or invalid API key: send "Authorization: Bearer <key>"') {
    super('UNAUTHORIZED', 401, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'This key may not access that resource') {
    super('FORBIDDEN', 403, message);
  }
}

/** Start-up configuration that cannot be used; the message names the variable and what is allowed. */
export class ConfigError extends AppError {
  constructor(message: string) {
    super('CONFIG_INVALID', 500, message);
  }
}

/** The server is shutting down and takes no new work. */
export class ShuttingDownError extends AppError {
  constructor(message = 'The server is shutting down: send the request again in a moment.') {
    super('SHUTTING_DOWN', 503, message);
  }
}

/** No database could be found or started; the message lists the ways to provide one. */
export class DatabaseUnavailableError extends AppError {
  constructor(message: string) {
    super('DATABASE_UNAVAILABLE', 503, message);
  }
}

/** The embedded database's file is held by another process: the message names it. */
export class DatabaseLockedError extends DatabaseUnavailableError {}
