/**
 * One attempt per message, and the channel's real answer (issue 25). botbuilder's connector client
 * retries a refused connection, a reset or a failed DNS lookup three times with backoff (5 to 7 s
 * in all), and any 5xx too: a dead channel then ended as our send timeout, its cause hidden, and a
 * 5xx retried could reach the recipient twice. Here the connector's retry policy is replaced by
 * one that retries only what the channel did not take: 429 or 503 with a Retry-After of at most
 * MAX_WAIT_MS, and once, at once, a connection reset (a kept-alive connection the channel closed
 * just as we reused it: the request never reached it). Everything else is the outcome, at once,
 * with its cause (`connect ECONNREFUSED 127.0.0.1:3979`, `getaddrinfo ENOTFOUND …`, `HTTP 502: …`).
 *
 * botframework-connector 4.23.3 (pinned) keeps its @azure/core-client ServiceClient in a private
 * `client` field; its pipeline is the public @azure/core-rest-pipeline one. If that ever moves,
 * `withOneAttempt` throws at the first send, and the dead-channel tests fail, rather than the
 * retries coming back unnoticed.
 */

/** The parts of @azure/core-rest-pipeline's Pipeline and its types used here (structural). */
interface PipelineResponse {
  status: number;
  headers: { get(name: string): string | undefined };
}
interface PipelinePolicy {
  name: string;
  sendRequest(
    request: unknown,
    next: (request: unknown) => Promise<PipelineResponse>,
  ): Promise<PipelineResponse>;
}
interface Pipeline {
  addPolicy(policy: PipelinePolicy, options?: { phase?: 'Retry' }): void;
  removePolicy(options: { name?: string; phase?: 'Retry' }): PipelinePolicy[];
}

/** The connector's own retry policy (@azure/core-rest-pipeline's `defaultRetryPolicy`). */
const DEFAULT_RETRY_POLICY = 'defaultRetryPolicy';
const MAX_RETRIES = 3;
const MAX_WAIT_MS = 5000;

/** Retries what the channel did not take: a short Retry-After on 429/503; a reset, once. */
export const channelRetryPolicy: PipelinePolicy = {
  name: 'segmentsChannelRetry',
  async sendRequest(request, next) {
    let reset = false;
    for (let attempt = 0; ; attempt++) {
      let response: PipelineResponse;
      try {
        response = await next(request);
      } catch (err) {
        if (reset || (err as { code?: unknown }).code !== 'ECONNRESET') throw err;
        reset = true;
        continue;
      }
      const wait = retryAfterMs(response);
      if (wait === undefined || wait > MAX_WAIT_MS || attempt >= MAX_RETRIES) return response;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  },
};

/** The wait a 429/503 asks for, in ms (`Retry-After` in seconds or as a date); undefined otherwise. */
export function retryAfterMs(response: PipelineResponse): number | undefined {
  if (response.status !== 429 && response.status !== 503) return undefined;
  const ms = Number(response.headers.get('retry-after-ms') ?? response.headers.get('x-ms-retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = response.headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/** Replaces a connector client's retry policy with `channelRetryPolicy`; returns the client. */
export function withOneAttempt<T extends object>(connector: T): T {
  const pipeline = (connector as { client?: { pipeline?: Partial<Pipeline> } }).client?.pipeline;
  if (typeof pipeline?.removePolicy !== 'function' || typeof pipeline.addPolicy !== 'function')
    throw new Error(
      'botframework-connector: its HTTP pipeline is not where 4.23.3 keeps it; ' +
        'cannot turn off its retries (see bot/channelRetries.ts)',
    );
  const removed = pipeline.removePolicy({ name: DEFAULT_RETRY_POLICY });
  if (removed.length === 0)
    throw new Error(`botframework-connector: no "${DEFAULT_RETRY_POLICY}" in its pipeline to replace`);
  pipeline.addPolicy(channelRetryPolicy, { phase: 'Retry' });
  return connector;
}
