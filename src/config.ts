/**
 * The one place that reads the environment. `loadConfig` parses and validates it once and returns
 * a frozen, typed object; a bad value throws ConfigError naming the variable and what is allowed.
 * Every entry point calls `loadProcessConfig()`, which first fills in the variables a `.env` file
 * in the current directory sets and the real environment does not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { ConfigError } from './errors';

const PROJECT_ROOT = path.resolve(
  __dirname,
  __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..',
);

const int = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

/** Variables, their defaults and what is allowed. `.env.example` documents the same table. */
const schema = z.object({
  PORT: int(0, 65535).default(3978),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  DB_ENGINE: z.enum(['auto', 'uri', 'memory-server', 'java-server']).default('auto'),
  DB_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,48}$/, 'letters, digits, _ and -, at most 48 characters')
    .default('segments'),
  DATA_DIR: z.string().min(1).default(path.join(PROJECT_ROOT, 'data')),
  JAVA_SERVER_HEAP: z
    .string()
    .regex(/^\d+[mMgG]$/, 'a JVM heap size such as 512m or 1g')
    .default('512m'),
  MEMORY_SERVER_RETRY_HOURS: int(0, 24 * 365).default(24),
  AGENDA_PROCESS_EVERY_MS: int(50, 3_600_000).default(1000),
  SHUTDOWN_TIMEOUT_MS: int(100, 600_000).default(10_000),
  ADMIN_API_KEY: z
    .string()
    .regex(/^\S{16,}$/, 'at least 16 characters, without spaces')
    .optional(),
  MICROSOFT_APP_ID: z.string().optional(),
  MICROSOFT_APP_PASSWORD: z.string().optional(),
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MICROSOFT_APP_TENANT_ID: z.string().optional(),
  BOT_WORKSPACE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64 characters')
    .default('default'),
  BOT_ADMINS: z
    .string()
    .regex(/^[^,\s]+(,[^,\s]+)*$/, 'a comma-separated list of user ids (channelId:userId or userId)')
    .optional(),
  BOT_AGENTS: z
    .string()
    .regex(/^[^,\s]+(,[^,\s]+)*$/, 'a comma-separated list of user ids (channelId:userId or userId)')
    .optional(),
  BOT_ALLOW_UNAUTHENTICATED_ADMINS: z.enum(['true', 'false'], { error: 'true or false' }).default('false'),
  HANDOFF_TIMEOUT_MS: int(1000, 86_400_000).default(300_000),
  TEMPLATES_DIR: z.string().min(1).default(path.join(PROJECT_ROOT, 'templates')),
  BOT_PERSONALISATION: z.enum(['true', 'false'], { error: 'true or false' }).default('true'),
  BOT_WELCOME: z.enum(['greeting', 'flow'], { error: 'greeting or flow' }).default('greeting'),
  PROACTIVE_SEND_TIMEOUT_MS: int(100, 120_000).default(5000),
  CAMPAIGN_LOCK_MS: int(1000, 3_600_000).default(10_000),
  CAMPAIGN_CONCURRENCY: int(1, 256).default(32),
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  FLOW_TIME_SCALE: z.coerce
    .number({ error: 'a number from 0.000001 to 1' })
    .min(0.000001, { error: 'a number from 0.000001 to 1' })
    .max(1, { error: 'a number from 0.000001 to 1' })
    .default(1),
  FLOW_LOCK_MS: int(500, 3_600_000).default(30_000),
  FLOWS_BUILT_IN: z.enum(['true', 'false'], { error: 'true or false' }).default('true'),
  REPORT_STATS_MAX_AGE_MS: int(0, 86_400_000).default(900_000),
  REPORT_STATS_REFRESH_MS: int(0, 86_400_000).default(30_000),
});

export interface Config {
  port: number;
  host: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  mongodbUri: string | undefined;
  dbEngine: z.infer<typeof schema>['DB_ENGINE'];
  dbName: string;
  dataDir: string;
  javaServerHeap: string;
  memoryServerRetryHours: number;
  agendaProcessEveryMs: number;
  shutdownTimeoutMs: number;
  adminApiKey: string | undefined;
  /** When set, GET /metrics needs `Authorization: Bearer <token>`; unset, it is open. */
  metricsToken: string | undefined;
  bot: {
    appId: string | undefined;
    appPassword: string | undefined;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    tenantId: string | undefined;
    workspaceId: string;
    /** Users given the admin role at start-up: `channelId:userId` or a bare `userId` (any channel). */
    admins: string[];
    /** Without an app id, honour admin/agent roles anyway (loopback serviceUrls only). */
    allowUnauthenticatedAdmins: boolean;
    agents: string[];
    handoffTimeoutMs: number;
    /** Handlebars templates: greetings/ and offers/, each with a default.hbs. */
    templatesDir: string;
    /**
     * Greetings and offers by segment. Off: the turn pipeline does not read the caller's segments
     * (TurnInfo.segments is empty) and every greeting and offer is the default template.
     */
    personalisation: boolean;
    /** Longest wait for a channel to accept one proactive message; then it is `failed`. */
    sendTimeoutMs: number;
    /**
     * Who welcomes a new contact, once: `greeting` (the bot's greeting, in the turn; the welcome
     * flow then leaves its first message out) or `flow` (the welcome flow's first message; the bot
     * does not greet a new contact whom that flow will message).
     */
    welcome: 'greeting' | 'flow';
  };
  campaigns: {
    /**
     * A run's lease (and its Agenda job's lock): a process that dies mid-run holds it this long at
     * most before another process (or the restarted one) carries on.
     */
    lockMs: number;
    /** Messages in flight at once per run (the send rate is the other limit). */
    concurrency: number;
  };
  /** Workflows (DESIGN §3.6). */
  flows: {
    /** Multiplies every flow wait and binding dwell: 1 in production, tiny in tests and demos. */
    timeScale: number;
    /** Step lease and Agenda lock of flow jobs: how soon another process retries after a crash. */
    lockMs: number;
    /** Install the five built-in bindings for the bot's workspace at start-up. */
    builtIn: boolean;
  };
  /** How old the comparison table's precomputed member figures may be (infra/reports/memberStats.ts). */
  reportStats: { maxAgeMs: number; refreshAfterMs: number };
  projectRoot: string;
  version: string;
}

/** Values that may appear in a start-up error; every other variable is shown as "(hidden, N characters)". */
const PUBLIC = new Set<string>(
  Object.keys(schema.shape).filter(
    (name) => !['ADMIN_API_KEY', 'METRICS_TOKEN', 'MICROSOFT_APP_PASSWORD', 'MONGODB_URI'].includes(name),
  ),
);
/**
 * Secrets whose absence opens or closes a door: set to an empty string (an uncommented
 * `ADMIN_API_KEY=` line) they are refused, not taken as unset, so a typo cannot quietly run the
 * server with no bootstrap key or with an open /metrics.
 */
const NOT_EMPTY = ['ADMIN_API_KEY', 'METRICS_TOKEN'] as const;

/** Empty strings count as unset, the way `.env` files and shells usually mean them. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => !!e[1]));
}

/**
 * Copies into `env` the variables of the `.env` file at `file` that `env` leaves unset or empty
 * (the real environment wins). A missing file is not an error: `.env` is optional. Returns the
 * names it set, so a caller may say where a value came from.
 */
export function applyEnvFile(file: string, env: NodeJS.ProcessEnv = process.env): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ConfigError(`Cannot read ${file}: ${(err as Error).message}`);
  }
  const set: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (value === undefined || (env[name] !== undefined && env[name] !== '')) continue;
    env[name] = value;
    set.push(name);
  }
  return set;
}

/** The process's configuration: `.env` of the current directory under the real environment. */
export function loadProcessConfig(): Readonly<Config> {
  applyEnvFile(path.resolve('.env'), process.env);
  return loadConfig(process.env);
}

/** The server's base URL (ending in `/`) as a client on this machine reaches it. */
export function localUrl(config: Pick<Config, 'host' | 'port'>): string {
  const { host, port } = config;
  const reach = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${reach}:${port}/`;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  for (const name of NOT_EMPTY) {
    if (env[name] === '') {
      throw new ConfigError(
        `${name} is set but empty: give it a value of at least 16 characters, or remove the line to leave it unset.`,
      );
    }
  }
  const parsed = schema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    // A secret's value never reaches a log or a terminal, even when it is wrong.
    const raw = env[name] ?? '';
    const shown = PUBLIC.has(name) ? JSON.stringify(raw) : `(hidden, ${raw.length} characters)`;
    throw new ConfigError(`Invalid ${name}=${shown}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  if (e.DB_ENGINE === 'uri' && !e.MONGODB_URI) {
    throw new ConfigError('Invalid DB_ENGINE="uri": MONGODB_URI must be set when DB_ENGINE=uri');
  }
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    mongodbUri: e.MONGODB_URI,
    dbEngine: e.DB_ENGINE,
    dbName: e.DB_NAME,
    dataDir: path.resolve(e.DATA_DIR),
    javaServerHeap: e.JAVA_SERVER_HEAP,
    memoryServerRetryHours: e.MEMORY_SERVER_RETRY_HOURS,
    agendaProcessEveryMs: e.AGENDA_PROCESS_EVERY_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    adminApiKey: e.ADMIN_API_KEY,
    metricsToken: e.METRICS_TOKEN,
    bot: Object.freeze({
      appId: e.MICROSOFT_APP_ID,
      appPassword: e.MICROSOFT_APP_PASSWORD,
      appType: e.MICROSOFT_APP_TYPE,
      tenantId: e.MICROSOFT_APP_TENANT_ID,
      workspaceId: e.BOT_WORKSPACE_ID,
      admins: e.BOT_ADMINS?.split(',') ?? [],
      agents: e.BOT_AGENTS?.split(',') ?? [],
      allowUnauthenticatedAdmins: e.BOT_ALLOW_UNAUTHENTICATED_ADMINS === 'true',
      handoffTimeoutMs: e.HANDOFF_TIMEOUT_MS,
      templatesDir: path.resolve(e.TEMPLATES_DIR),
      personalisation: e.BOT_PERSONALISATION === 'true',
      sendTimeoutMs: e.PROACTIVE_SEND_TIMEOUT_MS,
      welcome: e.BOT_WELCOME,
    }),
    campaigns: Object.freeze({ lockMs: e.CAMPAIGN_LOCK_MS, concurrency: e.CAMPAIGN_CONCURRENCY }),
    flows: Object.freeze({
      timeScale: e.FLOW_TIME_SCALE,
      lockMs: e.FLOW_LOCK_MS,
      builtIn: e.FLOWS_BUILT_IN === 'true',
    }),
    reportStats: Object.freeze({
      maxAgeMs: e.REPORT_STATS_MAX_AGE_MS,
      refreshAfterMs: e.REPORT_STATS_REFRESH_MS,
    }),
    projectRoot: PROJECT_ROOT,
    version: readVersion(),
  });
}

function readVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require(path.join(PROJECT_ROOT, 'package.json')) as { version: string };
  return pkg.version;
}
