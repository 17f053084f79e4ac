/**
 * The process: load config (a bad value stops start-up with one line), start the app, say how to
 * sign in (the first run makes the key), and shut it down gracefully on SIGINT/SIGTERM with exit
 * code 0. An uncaught error is logged and also shuts down (exit 1); the database child exits with
 * us either way because it watches its stdin.
 */
import { startApp, type App } from './app';
import { loadProcessConfig, localUrl, type Config } from './config';
import { AppError } from './errors';
import { createLogger, type Logger } from './infra/logger';
import { ensureSignInKey, signInMessage } from './infra/signInKey';

/** How long the shutdown after the embedded database died may take (issue 28: it took 15 s). */
const FATAL_EXIT_MS = 1500;

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadProcessConfig();
  } catch (err) {
    process.stderr.write(`segments: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const log = createLogger(config);
  let app: App | undefined;
  let exiting = false;
  const shutdown = (code: number, why: string, deadlineMs = config.shutdownTimeoutMs + 5000) => {
    if (exiting) return;
    exiting = true;
    log.info({ why }, 'shutting down');
    // If a step hangs, leave anyway: a stuck shutdown is worse than a bounded one.
    setTimeout(() => {
      log.warn({ deadlineMs }, 'shutdown: leaving before every step finished');
      process.exit(code || 1);
    }, deadlineMs).unref();
    void (app?.stop() ?? Promise.resolve()).then(
      () => process.exit(code),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown(0, 'SIGINT'));
  process.on('SIGTERM', () => shutdown(0, 'SIGTERM'));
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception');
    shutdown(1, 'uncaught exception');
  });
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
  try {
    app = await startApp(config, log, 'start', {
      // Exit non-zero so a process manager restarts us with a fresh database child. With the
      // database gone, running jobs and requests can only wait for it (15 s of server selection
      // each), and nothing they hold can be saved: the steps get FATAL_EXIT_MS, then we go.
      onFatal: (why) => shutdown(1, why, FATAL_EXIT_MS),
    });
  } catch (err) {
    fail(log, err);
  }
  try {
    const signIn = await ensureSignInKey(config, app.workspaces);
    // Not a log line: this is for the person who typed `npm start`, whatever LOG_LEVEL says.
    process.stdout.write(signInMessage(signIn, localUrl({ host: config.host, port: app.port })));
  } catch (err) {
    log.error({ err }, 'could not prepare the sign-in key');
  }
}

function fail(log: Logger, err: unknown): never {
  if (err instanceof AppError) log.fatal({ code: err.code }, err.message);
  else log.fatal({ err }, 'start-up failed');
  process.exit(1);
}

void main();
