/**
 * Sends a run's pending deliveries: batches read in `_id` order, contacts and references loaded
 * per batch, each message rendered and handed to the proactive sender at the campaign's rate.
 * A record becomes `sending` only when the rate limiter has admitted its wave, just before its
 * message leaves (so a crash leaves only messages in flight as `unknown`); `shouldStop` is asked
 * before every wave, so pause, cancel, a lost lease, quiet hours or a graceful stop take effect
 * mid-batch. Results are written in bulk within 50 ms, conditional on the record's status.
 */
import type { ConversationReference } from 'botbuilder';
import type { ProactiveResult } from '../../domain/ports/proactive';
import type { RenderFn } from '../../domain/campaigns/template';
import type { Campaign } from '../../domain/campaigns/types';
import type { Contact } from '../../domain/contacts/types';
import type { AudienceReader } from './audience';
import type { DeliveryRepo, Settle } from './deliveries';
import { BatchWriter, OUTCOME_DELAY_MS } from '../batchWriter';
import { Pacer } from './pacer';

/** How the proactive sender looks to campaigns: one message to a loaded reference, never throwing. */
export interface RefSender {
  sendToRef(
    ref: Partial<ConversationReference>,
    text: string,
    who: Record<string, string>,
  ): Promise<ProactiveResult>;
}

export interface SendLoopDeps {
  deliveries: DeliveryRepo;
  audience: AudienceReader;
  sender: RefSender;
  concurrency: number;
  clock: () => Date;
}

export type LoopEnd = 'drained' | 'stopped';

export interface Ready {
  ws: string;
  id: string;
  contactId: string;
  text: string;
  ref: Partial<ConversationReference>;
}

/**
 * A wave waits until half the concurrency may go (when the rate allows that many at once), so at
 * full speed one claim covers 16 messages or more (with the default 32), not one round trip each.
 */
const WAVE_MIN_SHARE = 2;

export async function sendPending(
  deps: SendLoopDeps,
  campaign: Campaign,
  runId: string,
  claim: string,
  render: RenderFn,
  shouldStop: () => boolean,
): Promise<LoopEnd> {
  const { deliveries } = deps;
  const ws = campaign.workspaceId;
  const pacer = new Pacer(campaign.ratePerSecond, deps.concurrency);
  // Outcomes in bulk, in the background, each within OUTCOME_DELAY_MS of its answer: a kill
  // leaves undecided only the wave in flight and the answers of the last few milliseconds.
  const outcomes = new BatchWriter<Settle>((batch) => deliveries.settle(ws, batch), {
    maxDelayMs: OUTCOME_DELAY_MS,
    maxItems: Math.max(64, deps.concurrency * 2),
  });
  const chunk = deps.concurrency * 4;
  try {
    // Read again until none is left: records a paused or superseded sender put back to pending
    // after a read must not be left behind.
    for (;;) {
      const pending = await deliveries.pendingOf(ws, runId);
      if (!pending.length) return 'drained';
      const load = (at: number) => {
        const p = loadBatch(deps, campaign, render, pending.slice(at, at + chunk), outcomes);
        p.catch(() => undefined); // a prefetch left behind by a stop must not be an unhandled rejection
        return p;
      };
      let next = load(0);
      for (let at = 0; at < pending.length; at += chunk) {
        const ready = await next;
        next = load(at + chunk); // the next batch's reads overlap this batch's sending
        if ((await sendWaves(deps, pacer, ready, claim, outcomes, shouldStop)) === 'stopped')
          return 'stopped';
      }
      await pacer.drain();
      await outcomes.flush();
      if (shouldStop()) return 'stopped';
    }
  } finally {
    await pacer.drain();
    await outcomes.close();
  }
}

/**
 * Sends a batch in waves: the pacer admits a wave first (rate and free slots), then exactly that
 * wave moves pending → sending in one write, then its messages leave. Nothing is claimed ahead,
 * so a kill leaves `unknown` only the wave in flight (and answers not yet written); a stop seen
 * between the claim and the sends puts the wave back to pending, so no send starts after it.
 */
async function sendWaves(
  deps: SendLoopDeps,
  pacer: Pacer,
  ready: Ready[],
  claim: string,
  outcomes: BatchWriter<Settle>,
  shouldStop: () => boolean,
): Promise<LoopEnd> {
  const ws = ready[0]?.ws ?? '';
  const least = Math.ceil(deps.concurrency / WAVE_MIN_SHARE);
  for (let at = 0; at < ready.length;) {
    const want = Math.min(ready.length - at, deps.concurrency);
    const n = await pacer.admit(want, least);
    if (shouldStop()) {
      pacer.refund(n);
      return 'stopped';
    }
    const wave = ready.slice(at, at + n);
    at += n;
    const ids = wave.map((r) => r.id);
    const mine = await deps.deliveries.markSending(ws, ids, claim, deps.clock());
    if (shouldStop()) {
      await deps.deliveries.release(ws, [...mine], deps.clock());
      return 'stopped';
    }
    for (const r of wave) if (mine.has(r.id)) pacer.track(send(deps, ws, r, outcomes));
  }
  return 'drained';
}

/** Contacts and references of a batch, each record either ready to send or settled at once. */
async function loadBatch(
  deps: SendLoopDeps,
  campaign: Campaign,
  render: RenderFn,
  batch: { _id: string; contactId: string }[],
  outcomes: BatchWriter<Settle>,
): Promise<Ready[]> {
  if (!batch.length) return [];
  const ws = campaign.workspaceId;
  const ids = batch.map((d) => d.contactId);
  const [contacts, refs] = await Promise.all([
    deps.audience.contacts(ws, ids),
    deps.audience.refsOf(ws, ids),
  ]);
  const ready: Ready[] = [];
  for (const d of batch) {
    const r = prepare(d, contacts.get(d.contactId), refs.get(d.contactId), campaign, render);
    if ('status' in r) outcomes.push({ id: d._id, from: 'pending', at: deps.clock(), ...r });
    else ready.push(r);
  }
  return ready;
}

/** One message to the channel, its outcome queued for writing. Never rejects: the pacer races these. */
export async function send(
  deps: Pick<SendLoopDeps, 'sender' | 'clock'>,
  ws: string,
  r: Ready,
  outcomes: BatchWriter<Settle>,
  resent = false,
): Promise<void> {
  let result: ProactiveResult;
  try {
    result = await deps.sender.sendToRef(r.ref, r.text, { workspaceId: ws, contactId: r.contactId });
  } catch (err) {
    result = { status: 'failed', error: err instanceof Error ? err.message : String(err) };
  }
  const at = deps.clock();
  const more = resent ? { resent } : {};
  if (result.status === 'sent') outcomes.push({ id: r.id, from: 'sending', status: 'sent', at, ...more });
  else
    outcomes.push({
      id: r.id,
      from: 'sending',
      status: 'failed',
      reason: result.error ?? result.status,
      at,
      ...more,
    });
}

/** A message ready to send, or why the delivery ends without one. */
export function prepare(
  d: { _id: string; contactId: string },
  contact: Contact | undefined,
  ref: Partial<ConversationReference> | undefined,
  campaign: Campaign,
  render: RenderFn,
): Ready | { status: 'skipped' | 'failed'; reason: string } {
  if (!contact) return { status: 'skipped', reason: 'contact deleted' };
  if (contact.optedOut) return { status: 'skipped', reason: 'opted out' };
  if (!ref) return { status: 'skipped', reason: 'no conversation reference' };
  try {
    const text = render({ contact, campaign: { name: campaign.name } }).trim();
    if (!text) return { status: 'failed', reason: 'template rendered empty text' };
    return { ws: campaign.workspaceId, id: d._id, contactId: d.contactId, text, ref };
  } catch (err) {
    return { status: 'failed', reason: `template: ${err instanceof Error ? err.message : String(err)}` };
  }
}
