/**
 * Structured logging as the code sees it: pino's interface (child loggers per component, levels,
 * an object then a message). src/infra/logger.ts creates the process's root logger.
 */
export type { Logger } from 'pino';
