/**
 * Campaigns (DESIGN §3.7) as repositories return them: the campaign, its runs (one per
 * occurrence of its schedule) and one delivery record per (run, contact).
 */

/** Where the campaign is in its life; `scheduled` waits for its next occurrence. */
export type CampaignStatus = 'draft' | 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled';

/** Times of day are `HH:MM` in UTC; `weekday` 0 is Sunday. */
export type Schedule =
  | { kind: 'now' }
  | { kind: 'at'; at: Date }
  | { kind: 'daily'; time: string }
  | { kind: 'weekly'; weekday: number; time: string };

/** No message is sent from `start` until `end` (UTC, `HH:MM`; the window may span midnight). */
export interface QuietHours {
  start: string;
  end: string;
}

/** Members of `segmentId` (a segment or a list) who are not members of `excludeSegmentId`. */
export interface Audience {
  segmentId: string;
  excludeSegmentId?: string;
}

export interface CampaignTemplate {
  /** The Handlebars source, stored as validated (a later edit of the file does not change it). */
  source: string;
  /** The file under `templates/campaigns/` it came from, if any (without `.hbs`). */
  file?: string;
}

export interface Campaign {
  _id: string;
  workspaceId: string;
  name: string;
  /** Lower-cased name: unique per workspace. */
  nameKey: string;
  audience: Audience;
  template: CampaignTemplate;
  schedule: Schedule;
  /** Messages per second, at most. */
  ratePerSecond: number;
  quietHours?: QuietHours;
  status: CampaignStatus;
  /** The latest run (the one pause, resume and cancel act on). */
  currentRunId?: string;
  /** When the next occurrence is due (scheduled campaigns). */
  nextRunAt?: Date;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export type RunStatus = 'sending' | 'paused' | 'completed' | 'cancelled';

/** One occurrence of a campaign: the audience snapshot and its sending. */
export interface CampaignRun {
  _id: string;
  workspaceId: string;
  campaignId: string;
  occurrence: Date;
  status: RunStatus;
  /** False until every delivery record of the snapshot is written. */
  snapshotDone: boolean;
  total: number;
  createdAt: Date;
  finishedAt?: Date;
  /** The process sending this run, and until when (renewed while it works). */
  leaseOwner?: string;
  leaseUntil?: Date;
}

/**
 * pending → sending → sent | failed | skipped | unknown. `sending` left behind by a crash becomes
 * `unknown` (it may have reached the channel) and is never sent again automatically; an operator
 * may re-send chosen `unknown` records (unknown → sending → sent | failed | skipped).
 */
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped' | 'unknown';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'pending',
  'sending',
  'sent',
  'failed',
  'skipped',
  'unknown',
];

export interface Delivery {
  /** `<runId>:<contactId>`: the unique key that makes one record per (run, contact). */
  _id: string;
  workspaceId: string;
  campaignId: string;
  runId: string;
  contactId: string;
  status: DeliveryStatus;
  /** Why it failed or was skipped (the channel's error, "opted out", ...). */
  reason?: string;
  sentAt?: Date;
  /** When the record last moved to `sending`: when its send started (kept when it is `unknown`). */
  sendingAt?: Date;
  /** When an operator last asked for it to be sent again after an `unknown` outcome. */
  resentAt?: Date;
  /** The contact's first message within 24 h after `sentAt`. */
  repliedAt?: Date;
  updatedAt: Date;
  /** The sender that moved it to `sending` (its result is recorded only by that sender). */
  claim?: string;
}

export type DeliveryCounts = Record<DeliveryStatus, number> & { total: number; replied: number };

/** A reply within this long of a delivery is attributed to it. */
export const REPLY_WINDOW_MS = 24 * 60 * 60 * 1000;
