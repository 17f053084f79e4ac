/**
 * The adapter's authentication hands out one connector client per (app id, service URL,
 * audience) and one user-token client per app id, instead of new ones for every turn and send.
 */
import { AuthenticationConstants, ClaimsIdentity } from 'botframework-connector';
import { CachingBotFrameworkAuthentication } from '../../../bot/connectorCache';

const claims = (appId: string) =>
  new ClaimsIdentity([{ type: AuthenticationConstants.AudienceClaim, value: appId }], true);

test('connector clients are shared per app id, service URL and audience', async () => {
  const auth = new CachingBotFrameworkAuthentication({});
  const a = await auth.createConnectorFactory(claims('bot')).create('http://127.0.0.1:1/a');
  const again = await auth.createConnectorFactory(claims('bot')).create('http://127.0.0.1:1/a');
  expect(again).toBe(a);
  const otherUrl = await auth.createConnectorFactory(claims('bot')).create('http://127.0.0.1:1/b');
  const otherApp = await auth.createConnectorFactory(claims('other')).create('http://127.0.0.1:1/a');
  const otherAudience = await auth.createConnectorFactory(claims('bot')).create('http://127.0.0.1:1/a', 'x');
  expect(new Set([a, otherUrl, otherApp, otherAudience]).size).toBe(4);
});

test('user-token clients are shared per app id', async () => {
  const auth = new CachingBotFrameworkAuthentication({});
  const a = await auth.createUserTokenClient(claims('bot'));
  expect(await auth.createUserTokenClient(claims('bot'))).toBe(a);
  expect(await auth.createUserTokenClient(claims('other'))).not.toBe(a);
});
