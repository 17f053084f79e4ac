/** Polling helpers for workflow tests: wait for channel messages or an instance state. */
import type { TestChannel, WireActivity } from '../../bot/cli/channel';

export async function eventually<T>(
  probe: () => Promise<T> | T,
  ok: (v: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let v = await probe();
  while (!ok(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    v = await probe();
  }
  return v;
}

/** Flow messages (by their text) that reached one conversation, in arrival order. */
export const flowTexts = (channel: TestChannel, conversationId: string, pattern: RegExp): string[] =>
  channel
    .receivedIn(conversationId)
    .map((a: WireActivity) => a.text ?? '')
    .filter((t) => pattern.test(t));

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
