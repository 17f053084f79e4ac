/**
 * Issue 28: the OpenAPI document is the contract. For the values the issue found (and their
 * neighbours), what the served document says (Ajv, JSON Schema 2020-12) and what the server does
 * agree: valid by the document ⇔ not refused with a 400. Plus the two method/body findings:
 * `OPTIONS /contacts/import` and a `POST /admin/workspaces/{id}/keys` without a body.
 * (tools/schemathesis/run.sh checks the same contract across every operation.)
 */
import Ajv2020 from 'ajv/dist/2020';
import type { App } from '../../src/app';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';

type Schema = Record<string, unknown>;
type Operation = {
  parameters?: { name: string; in: string; schema: Schema }[];
  requestBody?: { required: boolean; content: { 'application/json': { schema: Schema } } };
};
let app: App;
let doc: { paths: Record<string, Record<string, Operation>> };
let contactId: string;
const api = apiClient(() => app);
const ajv = new Ajv2020({ strict: false, validateFormats: false });

beforeAll(async () => {
  app = await startTestApp('oacontract', { ADMIN_API_KEY: TEST_API_KEY });
  doc = (await (await fetch(`http://127.0.0.1:${app.port}/api/v1/openapi.json`)).json()) as typeof doc;
  contactId = (await api('POST', '/contacts', { name: 'Contract' })).body._id as string;
  expect((await api('POST', '/admin/workspaces', { id: 'contract' })).status).toBe(201);
});
afterAll(async () => {
  if (app) await stopTestApp(app);
});

const param = (path: string, name: string) =>
  doc.paths[path]!.get!.parameters!.find((p) => p.name === name)!.schema;
const body = (path: string, method: string) =>
  doc.paths[path]![method]!.requestBody!.content['application/json'].schema;
/** A query value as the document reads it: integers are typed, the rest are text. */
const asDocumentValue = (schema: Schema, raw: string): unknown =>
  schema.type === 'integer' && /^-?\d+$/.test(raw) ? Number(raw) : raw;

test.each([
  ['/contacts', 'limit', ['0', '1', '200', '201', '007', '1.5', 'x']],
  ['/segments/{id}/members', 'limit', ['0', '1', '500', '501']],
  ['/transitions', 'limit', ['0', '1', '500', '501']],
  ['/transitions', 'cursor', ['', '0', '12', '-1', 'x']],
  ['/contacts', 'email', ['', ' ', 'a@b.co', ' A@B.CO ', 'a@b', 'a..b@c.de']],
  ['/contacts', 'externalId', ['', '   ', 'x', ' x ']],
  ['/campaigns/{id}/deliveries', 'cursor', ['', 'abc']],
  ['/reports/compare', 'segments', ['', 'a', 'a,b', 'a,,b', 'a, b']],
])('GET %s ?%s=…: the document and the server agree', async (path, name, values) => {
  const schema = param(path, name);
  const url = path.replace('{id}', 'nothing-here');
  const seen = [];
  for (const v of values) {
    const r = await api('GET', `${url}?${name}=${encodeURIComponent(v)}`);
    seen.push({ v, document: ajv.validate(schema, asDocumentValue(schema, v)), server: r.status !== 400 });
  }
  expect(seen).toEqual(seen.map((s) => ({ ...s, server: s.document })));
});

test.each([
  ['/contacts', 'post', { email: '' }],
  ['/contacts', 'post', { custom: null }],
  ['/contacts', 'post', { custom: { plan: {} } }],
  ['/contacts', 'post', { custom: { constructor: 1 } }],
  ['/contacts', 'post', { name: 'Ok', custom: { plan: 'gold' } }],
  ['/contacts', 'post', { tags: ['  '] }],
  ['/contacts/{id}', 'patch', {}],
  ['/contacts/{id}', 'patch', { email: null }],
  ['/events', 'post', { events: [{ eventId: 'e1', type: 'conversation', contactId: 'c' }], extra: 1 }],
  ['/events', 'post', []],
  ['/segments', 'post', { name: 'L', type: 'static', rule: 'tag = "x"' }],
  ['/segments', 'post', { name: '   ' }],
  ['/admin/workspaces/{id}/keys', 'post', null],
  ['/admin/workspaces/{id}/keys', 'post', ''],
])('%s %s %j: the document and the server agree', async (path, method, value) => {
  const valid = ajv.validate(body(path, method), value);
  const url = path.replace('{id}', path.startsWith('/admin') ? 'contract' : contactId);
  const res = await fetch(`http://127.0.0.1:${app.port}/api/v1${url}`, {
    method: method.toUpperCase(),
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(value),
  });
  expect({ value, server: res.status !== 400 }).toEqual({ value, server: valid });
});

test('POST /admin/workspaces/{id}/keys: no body is documented (optional) and accepted', async () => {
  expect(doc.paths['/admin/workspaces/{id}/keys']!.post!.requestBody!.required).toBe(false);
  const res = await fetch(`http://127.0.0.1:${app.port}/api/v1/admin/workspaces/contract/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_KEY}` },
  });
  expect(res.status).toBe(201);
});

test('PATCH /segments/{id} with no body at all is refused, as the document says (a body is required)', async () => {
  expect(doc.paths['/segments/{id}']!.patch!.requestBody!.required).toBe(true);
  const seg = await api('POST', '/segments', { name: 'Patched', rule: 'tag = "p"' });
  const res = await fetch(`http://127.0.0.1:${app.port}/api/v1/segments/${seg.body._id as string}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${TEST_API_KEY}` },
  });
  expect(res.status).toBe(400);
  expect((await api('GET', `/segments/${seg.body._id as string}`)).body.version).toBe(seg.body.version);
});

test.each(['/contacts/import', '/segments/preview'])(
  'only POST on %s: other methods are 405 with Allow: POST, not the methods of /:id',
  async (path) => {
    for (const method of ['GET', 'OPTIONS', 'DELETE', 'PATCH']) {
      const res = await fetch(`http://127.0.0.1:${app.port}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${TEST_API_KEY}` },
      });
      expect({ method, status: res.status, allow: res.headers.get('allow') }).toEqual({
        method,
        status: 405,
        allow: 'POST',
      });
    }
  },
);
