/**
 * Sends a run's pending deliveries: batches read in `_id` order, contacts and references loaded
 * per batch, each message rendered and handed to the proactive sender at the campaign's rate.
 * A record becomes `sending` just before its message leaves (so a crash leaves only messages
 * in flight as `unknown`); `shouldStop` is asked between messages, so pause, cancel, a lost lease
 * or quiet hours take effect mid-batch. Results are written in bulk, conditional on this claim.
 */
import type { ConversationReference } from 'botbuilder';
import type { ProactiveResult } from '../../domain/ports/proactive';
import type { RenderFn } from '../../domain/campaigns/template';
import type { Campaign } from '../../domain/campaigns/types';
import type { Contact } from '../../domain/contacts/types';
import type { AudienceReader } from './audience';
import type { DeliveryRepo, Settle } from './deliveries';
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

interface Ready {
  ws: string;
  id: string;
  contactId: string;
  text: string;
  ref: Partial<ConversationReference>;
}

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
  const done: Settle[] = [];
  // Results are written in the background, one bulk write after another, not between messages.
  let writing = Promise.resolve();
  const flush = () => {
    const batch = done.splice(0);
    if (batch.length) writing = writing.then(() => deliveries.settle(ws, batch));
    writing.catch(() => undefined); // awaited (and thrown) at the end, not reported as unhandled
    return writing;
  };
  const chunk = deps.concurrency;
  try {
    // Read again until none is left: records a paused or superseded sender put back to pending
    // after a read must not be left behind.
    for (;;) {
      const pending = await deliveries.pendingOf(ws, runId);
      if (!pending.length) return 'drained';
      const load = (at: number) => {
        const p = loadBatch(deps, campaign, render, pending.slice(at, at + chunk * 4), done);
        p.catch(() => undefined); // a prefetch left behind by a stop must not be an unhandled rejection
        return p;
      };
      let next = load(0);
      for (let at = 0; at < pending.length; at += chunk * 4) {
        const ready = await next;
        next = load(at + chunk * 4); // the next batch's reads overlap this batch's sending
        void flush();
        if ((await sendBatch(deps, pacer, ready, claim, done, shouldStop, flush)) === 'stopped')
          return 'stopped';
      }
      await pacer.drain();
      await flush();
      if (shouldStop()) return 'stopped';
    }
  } finally {
    await pacer.drain();
    await flush();
  }
}

/**
 * Sends a batch in chunks of `concurrency`: a chunk is moved to `sending` in one write while the
 * previous one is being sent (so a crash leaves at most two chunks `unknown`). On a stop, what
 * was moved to `sending` but not handed over goes back to `pending`.
 */
async function sendBatch(
  deps: SendLoopDeps,
  pacer: Pacer,
  ready: Ready[],
  claim: string,
  done: Settle[],
  shouldStop: () => boolean,
  flush: () => Promise<void>,
): Promise<LoopEnd> {
  const ws = ready[0]?.ws ?? '';
  const size = deps.concurrency;
  const chunks: Ready[][] = [];
  for (let i = 0; i < ready.length; i += size) chunks.push(ready.slice(i, i + size));
  const mark = (c: Ready[] | undefined) =>
    c
      ? deps.deliveries.markSending(
          ws,
          c.map((r) => r.id),
          claim,
          deps.clock(),
        )
      : undefined;
  let claimed = mark(chunks[0]);
  for (let k = 0; k < chunks.length; k++) {
    const mine = (await claimed) ?? new Set<string>();
    claimed = mark(chunks[k + 1]);
    const list = (chunks[k] ?? []).filter((r) => mine.has(r.id));
    for (let j = 0; j < list.length; j++) {
      await pacer.admit(1);
      if (shouldStop()) {
        const later = (await claimed) ?? new Set<string>();
        const back = [...list.slice(j), ...(chunks[k + 1] ?? []).filter((r) => later.has(r.id))];
        await deps.deliveries.release(
          ws,
          back.map((r) => r.id),
          deps.clock(),
        );
        return 'stopped';
      }
      pacer.track(send(deps, ws, list[j]!, done));
    }
    if (done.length >= size) void flush(); // a crash leaves sent-but-unrecorded ones unknown: keep few
  }
  return 'drained';
}

/** Contacts and references of a batch, each record either ready to send or settled at once. */
async function loadBatch(
  deps: SendLoopDeps,
  campaign: Campaign,
  render: RenderFn,
  batch: { _id: string; contactId: string }[],
  done: Settle[],
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
    if ('status' in r) done.push({ id: d._id, from: 'pending', at: deps.clock(), ...r });
    else ready.push(r);
  }
  return ready;
}

async function send(deps: SendLoopDeps, ws: string, r: Ready, done: Settle[]): Promise<void> {
  // Never rejects: the pacer races these promises.
  let result: ProactiveResult;
  try {
    result = await deps.sender.sendToRef(r.ref, r.text, { workspaceId: ws, contactId: r.contactId });
  } catch (err) {
    result = { status: 'failed', error: err instanceof Error ? err.message : String(err) };
  }
  const at = deps.clock();
  if (result.status === 'sent') done.push({ id: r.id, from: 'sending', status: 'sent', at });
  else done.push({ id: r.id, from: 'sending', status: 'failed', reason: result.error ?? result.status, at });
}

/** A message ready to send, or why the delivery ends without one. */
function prepare(
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
