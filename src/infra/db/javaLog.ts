/**
 * The embedded database's stderr as log records: one record per Java log event (its header line
 * and the exception lines after it), never one per stack frame. Conditions that are part of
 * normal work are logged at debug: a client that went away (a killed process's connections are
 * reset) and a command the server refused, whose error the client received and handles. Anything
 * else is a warning, with its stack trace in one field. Output that is not a log event (the JVM's
 * own messages, such as running out of heap) is a warning too.
 */

/** What slf4j-simple prints first for each event: `[thread] LEVEL logger - message`. */
const HEADER = /^\[([^\]]+)\] (ERROR|WARN|INFO|DEBUG|TRACE) (\S+) - (.*)$/;
/** A connection the client closed or reset: nothing is wrong with the server. */
const DISCONNECT =
  /^(java\.net\.SocketException: Connection reset|java\.io\.IOException: (Connection reset by peer|Broken pipe)|java\.nio\.channels\.ClosedChannelException|io\.netty\.channel\.\S*ClosedChannelException|io\.netty\.channel\.unix\.Errors\$NativeIoException: .*(reset by peer|Broken pipe))/;
/** An error the server answered a command with (duplicate key, bad value, unknown command...). */
const COMMAND_ERROR = /^de\.bwaldvogel\.mongo\.exception\.\w+: /;
/** Stack frames kept in a warning's `stack` field. */
const MAX_FRAMES = 30;
/** An event's lines arrive in chunks; this long without a line ends it. */
const QUIET_MS = 100;

export interface JavaLogSink {
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface JavaEvent {
  logger?: string;
  level?: string;
  message: string;
  /** Lines after the header: the exception, its frames, its causes. */
  detail: string[];
}

export type Verdict = { level: 'debug' | 'warn'; why?: string };

export function classify(e: JavaEvent): Verdict {
  const exception = e.detail[0]?.trim() ?? '';
  const logger = e.logger ?? '';
  if (logger.endsWith('.MongoExceptionHandler') && DISCONNECT.test(exception))
    return { level: 'debug', why: 'client disconnected' };
  if (logger.endsWith('.MongoWireProtocolHandler') && COMMAND_ERROR.test(exception))
    return { level: 'debug', why: 'command failed; the client received the error' };
  if (logger.endsWith('.AbstractMongoDatabase') && e.message.startsWith('unknown query'))
    return { level: 'debug', why: 'unknown command; the client received the error' };
  return { level: 'warn' };
}

/** Splits stderr into events and logs each once. `end()` flushes the last one. */
export function javaLogWriter(sink: JavaLogSink, pid: number | undefined) {
  let partial = '';
  let current: JavaEvent | undefined;
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const e = current;
    current = undefined;
    if (!e) return;
    const verdict = classify(e);
    const exception = e.detail[0]?.trim();
    const text = `mongo-java-server: ${e.message}${exception ? ` (${exception})` : ''}`;
    if (verdict.level === 'debug') {
      sink.debug({ pid, logger: e.logger, why: verdict.why }, text);
      return;
    }
    const frames = e.detail.slice(1);
    const stack = frames.length
      ? frames.slice(0, MAX_FRAMES).join('\n') +
        (frames.length > MAX_FRAMES ? `\n(${frames.length - MAX_FRAMES} more lines)` : '')
      : undefined;
    sink.warn(
      { pid, ...(e.logger ? { logger: e.logger, level: e.level } : {}), ...(stack ? { stack } : {}) },
      text,
    );
  };

  const line = (l: string) => {
    if (!l.trim()) return;
    const m = HEADER.exec(l);
    if (m) {
      flush();
      current = { level: m[2]!, logger: m[3]!, message: m[4]!, detail: [] };
    } else if (current) {
      current.detail.push(l);
    } else {
      current = { message: l, detail: [] };
    }
  };

  return {
    push(chunk: string): void {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) line(l.replace(/\r$/, ''));
      if (timer) clearTimeout(timer);
      if (current) timer = setTimeout(flush, QUIET_MS).unref();
    },
    end(): void {
      if (partial) line(partial);
      partial = '';
      flush();
    },
  };
}
