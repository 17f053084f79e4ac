/**
 * Issue 16 (6): workspaces and keys over REST with the bootstrap key only; keys are shown once,
 * stored hashed, listed without secrets, and stop working at once when revoked.
 */
import type { App } from '../../src/app';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';

let app: App;
const api = apiClient(() => app);
beforeAll(async () => (app = await startTestApp('wsadmin', { ADMIN_API_KEY: TEST_API_KEY })));
afterAll(() => stopTestApp(app));

test('create a workspace and keys; isolation; revoke; only the bootstrap key may manage', async () => {
  const created = await api('POST', '/admin/workspaces', { id: 'acme', name: 'Acme' });
  expect(created.status).toBe(201);
  const acmeKey = created.body.key.key as string;
  expect(acmeKey).toMatch(/^sgk_/);
  expect((await api('POST', '/admin/workspaces', { id: 'acme' })).status).toBe(409);
  expect((await api('POST', '/admin/workspaces', { id: 'bad id!' })).body.error.code).toBe(
    'VALIDATION_FAILED',
  );

  // The new workspace's key works, sees only its own data, and may not manage workspaces.
  const c = await api('POST', '/contacts', { name: 'Acme person' }, acmeKey);
  expect(c.status).toBe(201);
  expect((await api('GET', `/contacts/${c.body._id}`)).status).toBe(404);
  expect((await api('GET', '/admin/workspaces', undefined, acmeKey)).status).toBe(403);
  expect((await api('POST', '/admin/workspaces', { id: 'evil' }, acmeKey)).status).toBe(403);

  const second = await api('POST', '/admin/workspaces/acme/keys', { name: 'ci' });
  expect(second.status).toBe(201);
  const keys = await api('GET', '/admin/workspaces/acme/keys');
  expect(keys.body.items).toHaveLength(2);
  expect(JSON.stringify(keys.body)).not.toMatch(/hash|sgk_/);

  expect((await api('DELETE', `/admin/workspaces/acme/keys/${second.body.id}`)).status).toBe(204);
  expect((await api('GET', '/contacts', undefined, second.body.key as string)).status).toBe(401);
  expect((await api('GET', '/contacts', undefined, acmeKey)).status).toBe(200);
  expect((await api('DELETE', `/admin/workspaces/acme/keys/${second.body.id}`)).status).toBe(404);
  expect((await api('POST', '/admin/workspaces/nope/keys', {})).status).toBe(404);
  expect(((await api('GET', '/admin/workspaces')).body.items as { _id: string }[]).map((w) => w._id)).toEqual(
    ['acme'],
  );
});
