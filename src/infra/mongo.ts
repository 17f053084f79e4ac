/** The mongoose connection every repository and Agenda share. */
import mongoose, { type Connection } from 'mongoose';
import type { Logger } from './logger';

export async function connectMongo(uri: string, dbName: string, log: Logger): Promise<Connection> {
  // monitorCommands: failed commands are counted in /metrics (segments_db_errors_total).
  const conn = mongoose.createConnection(uri, {
    dbName,
    serverSelectionTimeoutMS: 15_000,
    autoIndex: true,
    monitorCommands: true,
  });
  // close() (a clean shutdown) says 'disconnecting' first: only an unplanned loss is a warning.
  let closing = false;
  conn.on('disconnecting', () => (closing = true));
  conn.on('disconnected', () =>
    closing ? log.info('database: connection closed') : log.warn('database: disconnected'),
  );
  conn.on('reconnected', () => log.info('database: reconnected'));
  // Without a listener an 'error' event would crash the process; the driver reconnects by itself.
  conn.on('error', (err: Error) => log.error({ err }, 'database: connection error'));
  await conn.asPromise();
  return conn;
}

/** A cheap round trip that says whether the database answers right now. */
export async function pingMongo(conn: Connection, timeoutMs = 2000): Promise<boolean> {
  const db = conn.db;
  if (!db || conn.readyState !== mongoose.ConnectionStates.connected) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([
      db.command({ ping: 1 }).then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
