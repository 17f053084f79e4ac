/**
 * The OpenAPI 3.1 document at /api/v1/openapi.json, and property-based fuzzing of the API from it:
 * for every operation, fast-check generates path ids (real and made up), query strings and bodies
 * from the document's own schemas (plus some arbitrary JSON), sends them over real HTTP, and checks
 * the answer is never a 5xx, its status is one the document lists, and its body matches the
 * documented schema (Ajv, JSON Schema 2020-12). Bounded: a few hundred requests in all.
 */
import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import type { App } from '../../src/app';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';
import { fuzzOf, type JsonSchema } from '../support/schemaArbitrary';

type Operation = {
  operationId: string;
  parameters?: { name: string; in: 'path' | 'query'; required: boolean; schema: JsonSchema }[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
};
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> };

const RUNS_PER_OPERATION = 10;
let app: App;
let doc: Doc;
const ids: Record<string, string[]> = { contact: [], segment: [], list: [] };
const api = apiClient(() => app);

beforeAll(async () => {
  app = await startTestApp('openapi', { ADMIN_API_KEY: TEST_API_KEY });
  const res = await fetch(`http://127.0.0.1:${app.port}/api/v1/openapi.json`); // no key: public
  expect(res.status).toBe(200);
  doc = (await res.json()) as Doc;
  for (const name of ['Ann', 'Bo', 'Cy']) {
    const c = await api('POST', '/contacts', {
      name,
      email: `${name.toLowerCase()}@example.com`,
      tags: ['VIP'],
    });
    ids.contact!.push(String(c.body._id));
  }
  const s = await api('POST', '/segments', { name: 'Fuzz VIP', rule: 'tag = "VIP"' });
  const l = await api('POST', '/segments', { name: 'Fuzz list', type: 'static' });
  ids.segment!.push(String(s.body._id));
  ids.list!.push(String(l.body._id));
});
afterAll(async () => {
  if (app) await stopTestApp(app);
});

test('the document is OpenAPI 3.1 and lists every route registered under /api/v1', () => {
  expect(doc.openapi).toBe('3.1.0');
  const documented = new Set(
    Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)),
  );
  const routes = Object.values(
    app.server.getDebugInfo().routes as Record<string, { method: string; path: string }>,
  )
    .filter((r) => r.path.startsWith('/api/v1/') && r.path !== '/api/v1/openapi.json')
    .map(
      (r) =>
        `${r.method === 'del' ? 'delete' : r.method} ${r.path.slice('/api/v1'.length).replace(/:(\w+)/g, '{$1}')}`,
    );
  expect(routes.length).toBeGreaterThan(15);
  expect(routes.filter((r) => !documented.has(r))).toEqual([]);
});

/** A real id of the right kind most of the time (so deep paths are reached), sometimes made up. */
const idArb = (path: string, name: string) => {
  const contact = name === 'contactId' || (name === 'id' && path.startsWith('/contacts'));
  const pool = contact ? ids.contact! : [...ids.segment!, ...ids.list!];
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...pool) },
    fc.string({ minLength: 1, maxLength: 30 }),
  );
};

function requestArb(path: string, o: Operation) {
  const params = o.parameters ?? [];
  const pathArbs = Object.fromEntries(
    params
      .filter((p) => p.in === 'path')
      .map((p) => [p.name, p.name === 'key' ? fuzzOf(p.schema) : idArb(path, p.name)]),
  );
  const queryArbs = Object.fromEntries(
    params.filter((p) => p.in === 'query').map((p) => [p.name, fuzzOf(p.schema)]),
  );
  const bodySchema = o.requestBody?.content['application/json'].schema;
  return fc.record({
    path: fc.record(pathArbs),
    query: fc.record(queryArbs, { requiredKeys: [] }),
    body: bodySchema ? fuzzOf(bodySchema) : fc.constant(undefined),
  });
}

const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: false });

test('fuzzing every operation from the document: no 5xx, only documented statuses and bodies', async () => {
  const failures: string[] = [];
  let requests = 0;
  const succeeded = new Set<string>();
  // Deletes last, so the real ids stay for the other operations.
  const operations = Object.entries(doc.paths)
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, o]) => ({ path, method, o })))
    .sort((a, b) => Number(a.method === 'delete') - Number(b.method === 'delete'));
  for (const { path, method, o } of operations) {
    {
      await fc
        .assert(
          fc.asyncProperty(requestArb(path, o), async (req) => {
            const url =
              path.replace(/\{(\w+)\}/g, (_m, n: string) => encodeURIComponent(String(req.path[n]))) +
              (Object.keys(req.query).length
                ? `?${new URLSearchParams(Object.entries(req.query).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString()}`
                : '');
            const r = await api(method.toUpperCase(), url, req.body);
            requests++;
            if (r.status < 300) succeeded.add(`${method} ${path}`);
            const documented = o.responses[String(r.status)];
            const schema = documented?.content?.['application/json']?.schema;
            const problem =
              r.status >= 500
                ? 'a 5xx'
                : !documented
                  ? 'an undocumented status'
                  : schema && !ajv.validate(schema, r.body)
                    ? `a body off its schema: ${ajv.errorsText()}`
                    : undefined;
            if (problem)
              failures.push(
                `${method.toUpperCase()} ${url} ${JSON.stringify(req.body)} → ${r.status} ${JSON.stringify(r.body)}: ${problem}`,
              );
            return problem === undefined;
          }),
          { numRuns: RUNS_PER_OPERATION, seed: 14, endOnFailure: true },
        )
        .catch(() => undefined); // collected in `failures`, reported together below
    }
  }
  expect(failures).toEqual([]);
  expect(requests).toBeGreaterThan(100);
  // Schema-shaped requests get through validation: most operations succeeded at least once.
  expect(succeeded.size).toBeGreaterThanOrEqual(15);
}, 120_000); // ~220 requests: a few seconds alone, much more when the machine is busy
