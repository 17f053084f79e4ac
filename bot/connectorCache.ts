/**
 * Reuses Bot Framework clients. botbuilder's CloudAdapter asks its authentication, on every turn
 * and proactive send, for a new ConnectorClient and a new UserTokenClient (credentials and an
 * HTTP pipeline of a dozen policies each): measured as the largest cost of a campaign send after
 * garbage collection. A connector client depends only on the bot's app id, the channel's service
 * URL and the audience, a token client only on the app id, and both are safe to share (their
 * credentials refresh their own tokens), so one is kept per key, at most MAX_CLIENTS of each.
 */
import {
  AuthenticationConstants,
  type ClaimsIdentity,
  type ConnectorClient,
  ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { withOneAttempt } from './channelRetries';

const MAX_CLIENTS = 1000;

/** The app id botbuilder builds clients for: the audience claim, else the appid claim. */
const appIdOf = (claims: ClaimsIdentity): string =>
  claims.getClaimValue(AuthenticationConstants.AudienceClaim) ??
  claims.getClaimValue(AuthenticationConstants.AppIdClaim) ??
  '';

export class CachingBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectors = new Map<string, Promise<ConnectorClient>>();
  private readonly tokenClients = new Map<string, Promise<UserTokenClient>>();

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    const inner = super.createConnectorFactory(claimsIdentity);
    const appId = appIdOf(claimsIdentity);
    const connectors = this.connectors;
    return new (class extends ConnectorFactory {
      create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        // One attempt per message, with the channel's real error (channelRetries.ts).
        return cached(connectors, `${appId}\n${serviceUrl}\n${audience ?? ''}`, () =>
          inner.create(serviceUrl, audience).then(withOneAttempt),
        );
      }
    })();
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return cached(this.tokenClients, appIdOf(claimsIdentity), () =>
      super.createUserTokenClient(claimsIdentity),
    );
  }
}

function cached<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let client = map.get(key);
  if (!client) {
    if (map.size >= MAX_CLIENTS) map.delete(map.keys().next().value!);
    client = make();
    // A failed creation (credentials) is not kept: the next call tries again.
    client.catch(() => map.delete(key));
    map.set(key, client);
  }
  return client;
}
