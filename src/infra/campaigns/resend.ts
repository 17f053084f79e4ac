/**
 * The operator's re-send of chosen `unknown` deliveries (issue 25). `unknown` means the sending
 * process stopped between handing the message to the channel and recording the answer: it may
 * have arrived. Nothing re-sends those automatically; an operator who decides the risk of a
 * second copy is worth taking names the records, and each is sent once more:
 * unknown → sending → sent | failed | skipped, with `resentAt`. Records in any other status are
 * left as they are and reported. The campaign's own template, opt-out and reference rules apply.
 *
 * A re-send whose process dies leaves its records `sending`; one older than STALE_RESEND_MS (well
 * over the longest send timeout) counts as `unknown` again for the next re-send request.
 */
import { randomUUID } from 'node:crypto';
import { compileTemplate } from '../../domain/campaigns/template';
import type { Campaign, Delivery, DeliveryStatus } from '../../domain/campaigns/types';
import type { SendGate } from '../../domain/ports/sendGate';
import { ShuttingDownError } from '../../errors';
import { BatchWriter, OUTCOME_DELAY_MS } from '../batchWriter';
import type { AudienceReader } from './audience';
import type { DeliveryRepo, Settle } from './deliveries';
import { Pacer } from './pacer';
import { prepare, send, type Ready, type RefSender } from './sendLoop';

/** At most this many records per request: the request answers once every one is sent. */
export const RESEND_MAX = 100;
/** A re-send's `sending` record older than this was left by a process that died. */
export const STALE_RESEND_MS = 5 * 60_000;
const RESEND_CLAIM = 'resend:';

export interface ResendResult {
  id: string;
  contactId?: string;
  /** The record's status after the request; `not-found` when the campaign has no such record. */
  status: DeliveryStatus | 'not-found';
  /** Why it failed or was skipped, or why it was not re-sent (`not unknown: ...`). */
  reason?: string;
  resent: boolean;
}

export interface ResendDeps {
  deliveries: DeliveryRepo;
  audience: AudienceReader;
  sender: RefSender;
  concurrency: number;
  clock: () => Date;
  gate: SendGate;
}

export async function resendUnknown(
  d: ResendDeps,
  campaign: Campaign,
  ids: string[],
): Promise<ResendResult[]> {
  if (!d.gate.open) throw new ShuttingDownError('The server is stopping: nothing is re-sent now');
  const ws = campaign.workspaceId;
  const found = new Map((await d.deliveries.byIds(ws, campaign._id, ids)).map((r) => [r._id, r]));
  const now = d.clock();
  const wanted = ids.flatMap((id): { id: string; from: 'unknown' | 'sending' }[] => {
    const r = found.get(id);
    if (r?.status === 'unknown') return [{ id, from: 'unknown' }];
    return r && staleResend(r, now) ? [{ id, from: 'sending' }] : [];
  });
  const claim = `${RESEND_CLAIM}${randomUUID()}`;
  const mine = await d.deliveries.claimForResend(ws, wanted, claim, now);
  const outcome = new Map<string, Settle>();
  const outcomes = new BatchWriter<Settle>(
    async (batch) => {
      for (const s of batch) outcome.set(s.id, s);
      await d.deliveries.settle(ws, batch);
    },
    { maxDelayMs: OUTCOME_DELAY_MS, maxItems: RESEND_MAX },
  );
  const claimed = [...found.values()].filter((r) => mine.has(r._id));
  const contactIds = claimed.map((r) => r.contactId);
  const [contacts, refs] = await Promise.all([
    d.audience.contacts(ws, contactIds),
    d.audience.refsOf(ws, contactIds),
  ]);
  const render = compileTemplate(campaign.template.source);
  const ready: Ready[] = [];
  for (const r of claimed) {
    const p = prepare(r, contacts.get(r.contactId), refs.get(r.contactId), campaign, render);
    if ('status' in p) outcomes.push({ id: r._id, from: 'sending', at: d.clock(), resent: true, ...p });
    else ready.push(p);
  }
  const pacer = new Pacer(campaign.ratePerSecond, d.concurrency);
  const handed = new Set<string>();
  const notSent = new Set<string>();
  try {
    for (const [i, r] of ready.entries()) {
      await pacer.admit(1);
      // A graceful stop began: nothing more starts; the rest is `unknown` again, as it was.
      if (!d.gate.open) {
        for (const x of ready.slice(i)) notSent.add(x.id);
        break;
      }
      handed.add(r.id);
      pacer.track(send(d, ws, r, outcomes, true));
    }
  } finally {
    await pacer.drain();
    await outcomes.close();
    await d.deliveries.unclaim(ws, [...notSent], d.clock());
  }
  const taken = new Set(wanted.filter((w) => !mine.has(w.id)).map((w) => w.id));
  return ids.map((id): ResendResult => {
    const before = found.get(id);
    if (!before) return { id, status: 'not-found', resent: false };
    const base = { id, contactId: before.contactId, resent: handed.has(id) };
    const after = outcome.get(id);
    if (notSent.has(id)) return { ...base, status: 'unknown', reason: 'not sent: the server is stopping' };
    if (after) return { ...base, status: after.status, ...(after.reason ? { reason: after.reason } : {}) };
    if (taken.has(id)) return { ...base, status: 'sending', reason: 'being re-sent by another request' };
    return { ...base, status: before.status, reason: `not unknown (${before.status}): left as it is` };
  });
}

function staleResend(r: Delivery, now: Date): boolean {
  return (
    r.status === 'sending' &&
    (r.claim?.startsWith(RESEND_CLAIM) ?? false) &&
    (r.sendingAt?.getTime() ?? 0) < now.getTime() - STALE_RESEND_MS
  );
}
