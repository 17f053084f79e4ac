/**
 * The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the routes validate with
 * (`z.toJSONSchema`, JSON Schema 2020-12, which OpenAPI 3.1 uses as is). A route is documented by
 * one `op(...)` entry in `operations.ts`; the usual error answers are added here, so an entry
 * names only what is particular to it.
 */
import { z } from 'zod';
import { errorBody } from './responses';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ApiOperation {
  method: Method;
  /** OpenAPI style, relative to /api/v1: `/contacts/{id}`. */
  path: string;
  summary: string;
  tag: string;
  query?: z.ZodObject;
  /** Path parameters that accept less than any non-empty text, by name. */
  params?: Record<string, z.ZodType>;
  body?: z.ZodType;
  /** The route also takes no body at all (every field optional): the request body is optional. */
  bodyOptional?: boolean;
  /** What the operation does beyond its summary: rules the schemas cannot say. */
  description?: string;
  /** The success status and its body (none for 204). */
  ok: [status: number, schema?: z.ZodType];
  /** Another success status with its body (an upsert that found the record: 200 beside 201). */
  alsoOk?: [status: number, schema?: z.ZodType];
  /** Error statuses beyond the usual ones (400, 401, 404 with a path id, 413 and 415 with a body). */
  errors?: number[];
  /** A response that is not JSON (e.g. `image/svg+xml`). */
  contentType?: string;
}

/** One documented route: `op('get', '/reports/compare', 'Compare segments', 'Reports', {query, ok: [200, s]})`. */
export function op(
  method: Method,
  path: string,
  summary: string,
  tag: string,
  rest: Omit<ApiOperation, 'method' | 'path' | 'summary' | 'tag'>,
): ApiOperation {
  return { method, path, summary, tag, ...rest };
}

const json = (schema: z.ZodType, io: 'input' | 'output') => {
  const out = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    reused: 'inline',
  }) as Record<string, unknown>;
  // Inside an OpenAPI 3.1 document the dialect is already JSON Schema 2020-12.
  delete out.$schema;
  return out;
};

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input (`VALIDATION_FAILED`, `RULE_SYNTAX`, `RULE_INVALID`, …)',
  401: 'Missing or invalid API key',
  403: 'Not allowed with this key (`FORBIDDEN`): workspace administration needs `ADMIN_API_KEY`',
  404: 'Not found (also another workspace’s resource)',
  409: 'Conflict',
  413: 'Body over 1 MiB',
  415: 'Body is not JSON (`UNSUPPORTED_MEDIA_TYPE`)',
  429: 'The query took too long and was stopped (`QUERY_TOO_SLOW`)',
  503: 'The server is shutting down (`SHUTTING_DOWN`): send it again in a moment',
};

/** The statuses an operation may answer with, and the schema of each. */
export function responsesOf(o: ApiOperation): Map<number, z.ZodType | undefined> {
  const out = new Map<number, z.ZodType | undefined>([[o.ok[0], o.ok[1]]]);
  if (o.alsoOk) out.set(o.alsoOk[0], o.alsoOk[1]);
  const errors = new Set([400, 401, 503, ...(o.errors ?? [])]);
  if (o.path.includes('{')) errors.add(404);
  if (o.body) [413, 415].forEach((s) => errors.add(s));
  for (const s of [...errors].sort()) out.set(s, errorBody);
  return out;
}

function operation(o: ApiOperation) {
  const params = [
    ...[...o.path.matchAll(/\{(\w+)\}/g)].map((m) => {
      const own = m[1] === undefined ? undefined : o.params?.[m[1]];
      return {
        name: m[1],
        in: 'path',
        required: true,
        schema: own ? json(own, 'input') : { type: 'string', minLength: 1 },
      };
    }),
    ...Object.entries(o.query?.shape ?? {}).map(([name, s]) => ({
      name,
      in: 'query',
      required: !(s as z.ZodType).safeParse(undefined).success,
      schema: json(s as z.ZodType, 'input'),
    })),
  ];
  const responses = Object.fromEntries(
    [...responsesOf(o)].map(([status, schema]) => [
      String(status),
      {
        description: status < 300 ? 'Success' : (ERROR_TEXT[status] ?? 'Error'),
        ...(schema
          ? {
              content: {
                [status < 300 && o.contentType ? o.contentType : 'application/json']: {
                  schema: json(schema, 'output'),
                },
              },
            }
          : {}),
      },
    ]),
  );
  return {
    summary: o.summary,
    ...(o.description ? { description: o.description } : {}),
    tags: [o.tag],
    operationId: `${o.method}${o.path.replace(/\{(\w+)\}/g, 'By-$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string = '') => c.toUpperCase())}`,
    ...(params.length ? { parameters: params } : {}),
    ...(o.body
      ? {
          requestBody: {
            required: !o.bodyOptional,
            content: { 'application/json': { schema: json(o.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

/** The whole document; `version` is the package version. */
export function buildOpenApi(
  ops: readonly ApiOperation[],
  version: string,
  schemas: Record<string, z.ZodType> = {},
) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const o of ops) (paths[o.path] ??= {})[o.method] = operation(o);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Segments API',
      version,
      description:
        'Contacts, events, dynamic segments and static lists. Errors are `{"error": {code, message, details?}}`.',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A workspace API key' } },
      schemas: Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, json(s, 'input')])),
    },
    tags: [...new Set(ops.map((o) => o.tag))].map((name) => ({ name })),
    paths,
  };
}
