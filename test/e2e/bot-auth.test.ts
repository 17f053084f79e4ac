/**
 * With MICROSOFT_APP_ID and a password configured the bot authenticates as any Azure Bot does:
 * an activity without a valid Bot Framework token is refused with 401 and changes nothing.
 */
import type { App } from '../../src/app';
import { startTestApp, stopTestApp } from '../support/app';

let app: App;
beforeAll(async () => {
  app = await startTestApp('botauth', {
    MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001',
    MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
  });
});
afterAll(() => stopTestApp(app));

test.each([
  ['no Authorization header', {}],
  ['a forged bearer token', { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.' }],
])('%s → 401, no contact created', async (_label, headers) => {
  const res = await fetch(`http://127.0.0.1:${app.port}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      type: 'message',
      id: 'a1',
      text: 'hi',
      channelId: 'emulator',
      serviceUrl: 'http://127.0.0.1:9/',
      conversation: { id: 'c1' },
      from: { id: 'intruder', name: 'Intruder' },
      recipient: { id: 'bot' },
    }),
  });
  expect(res.status).toBe(401);
  expect(await app.conn.db!.collection('contacts').countDocuments({})).toBe(0);
});
