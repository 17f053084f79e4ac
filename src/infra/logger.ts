/** Structured JSON logs (pino); one root logger per process, children per component. */
import pino from 'pino';
import type { Logger } from '../domain/ports/logger';
import type { Config } from '../config';

export type { Logger };

export function createLogger(config: Pick<Config, 'logLevel' | 'version'>): Logger {
  return pino({ level: config.logLevel, base: { app: 'segments', version: config.version } });
}
