/**
 * Creating and steering campaigns: validation (audience segments exist, the template compiles
 * and renders for a sample contact), then start, pause, resume and cancel through the statuses
 * `lifecycle.ts` allows. The sending itself (runs, deliveries, jobs) sits behind `RunControl`,
 * implemented in infrastructure; this file does no I/O of its own.
 */
import { newId } from '../ports/ids';
import { NotFoundError, ValidationError } from '../../errors';
import { parseCampaignInput } from './input';
import { checkAction, fromStatuses, type CampaignAction } from './lifecycle';
import { firstOccurrence } from './schedule';
import type { Contact } from '../contacts/types';
import { slugify } from '../segments/types';
import { compileTemplate } from './template';
import type { Campaign, CampaignStatus, DeliveryCounts, RunStatus } from './types';

export interface CampaignStore {
  /** Throws ConflictError when the name is taken in the workspace. */
  insert(campaign: Campaign): Promise<void>;
  get(workspaceId: string, id: string): Promise<Campaign | null>;
  getByName(workspaceId: string, name: string): Promise<Campaign | null>;
  list(workspaceId: string): Promise<Campaign[]>;
  /** Applies `patch` only while the status is one of `from`; null when it was not. */
  transition(
    workspaceId: string,
    id: string,
    from: readonly CampaignStatus[],
    patch: Partial<Campaign>,
  ): Promise<Campaign | null>;
}

/** The sending side: occurrences, runs and their deliveries. */
export interface RunControl {
  /** Makes the campaign's occurrence at `at` happen (a durable job). */
  scheduleOccurrence(campaign: Campaign, at: Date): Promise<void>;
  runStatus(workspaceId: string, runId: string): Promise<RunStatus | null>;
  pauseRun(workspaceId: string, runId: string): Promise<void>;
  resumeRun(workspaceId: string, runId: string): Promise<void>;
  /** Cancels the current run (pending deliveries become skipped) and future occurrences. */
  cancel(campaign: Campaign): Promise<void>;
  counts(workspaceId: string, campaignId: string, runId?: string): Promise<DeliveryCounts>;
}

export interface CampaignServiceDeps {
  store: CampaignStore;
  control: RunControl;
  segments: { find(workspaceId: string, idOrName: string): Promise<{ _id: string; name: string } | null> };
  /** Source of `templates/campaigns/<file>.hbs`, or null when there is no such file. */
  templateFile(file: string): Promise<string | null>;
  now: () => Date;
}

export interface CampaignView extends Campaign {
  counts: DeliveryCounts;
  currentRun?: { id: string; status: RunStatus | null; counts: DeliveryCounts };
  replyRate: number | null;
}

export class CampaignService {
  constructor(private readonly deps: CampaignServiceDeps) {}

  async create(workspaceId: string, body: unknown, createdBy: string): Promise<Campaign> {
    const d = parseCampaignInput(body);
    const now = this.deps.now();
    if (d.schedule.kind === 'at' && d.schedule.at.getTime() <= now.getTime())
      throw new ValidationError('schedule.at is in the past', { field: 'schedule.at' });
    const segment = await this.segment(workspaceId, d.audience.segment, 'audience.segment');
    const exclude = d.audience.exclude
      ? await this.segment(workspaceId, d.audience.exclude, 'audience.exclude')
      : undefined;
    if (exclude && exclude._id === segment._id)
      throw new ValidationError('audience.exclude is the audience itself', { field: 'audience.exclude' });
    const source = 'text' in d.template ? d.template.text : await this.file(d.template.file);
    compileTemplate(source);
    const campaign: Campaign = {
      _id: newId(),
      workspaceId,
      name: d.name,
      nameKey: d.name.toLowerCase(),
      audience: { segmentId: segment._id, ...(exclude ? { excludeSegmentId: exclude._id } : {}) },
      template: { source, ...('file' in d.template ? { file: d.template.file } : {}) },
      schedule: d.schedule,
      ratePerSecond: d.ratePerSecond,
      ...(d.quietHours ? { quietHours: d.quietHours } : {}),
      status: 'draft',
      createdBy,
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.store.insert(campaign);
    return campaign;
  }

  /**
   * The message a template gives for one contact, rendered exactly as a delivery renders it (so a
   * preview shows what would be sent); a template that does not compile is TEMPLATE_INVALID.
   */
  async renderPreview(
    workspaceId: string,
    template: { text: string } | { file: string },
    contact: Contact,
    campaignName: string,
    audience?: string,
  ): Promise<string> {
    const source = 'text' in template ? template.text : await this.file(template.file);
    const render = compileTemplate(source);
    // The audience as deliveries see it; before one is chosen, the sample's.
    const seg = audience ? await this.segment(workspaceId, audience, 'segment') : { name: 'Sample' };
    try {
      return render({
        contact,
        campaign: { name: campaignName },
        segment: { name: seg.name, slug: slugify(seg.name) },
      }).trim();
    } catch (err) {
      // What the sender would record as this contact's failed delivery.
      const why = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ').slice(0, 300);
      throw new ValidationError(
        `The message template fails for this contact (their delivery would fail): ${why}`,
        { field: 'template' },
        'TEMPLATE_INVALID',
      );
    }
  }

  list(workspaceId: string): Promise<Campaign[]> {
    return this.deps.store.list(workspaceId);
  }

  /** By id or (case-insensitive) name. */
  async get(workspaceId: string, idOrName: string): Promise<Campaign> {
    const c =
      (await this.deps.store.get(workspaceId, idOrName)) ??
      (await this.deps.store.getByName(workspaceId, idOrName));
    if (!c) throw new NotFoundError('campaign', idOrName);
    return c;
  }

  /** The campaign with its delivery counts (all runs, and the current run) and reply rate. */
  async view(workspaceId: string, idOrName: string): Promise<CampaignView> {
    const c = await this.get(workspaceId, idOrName);
    const { control } = this.deps;
    const counts = await control.counts(workspaceId, c._id);
    const currentRun = c.currentRunId
      ? {
          id: c.currentRunId,
          status: await control.runStatus(workspaceId, c.currentRunId),
          counts: await control.counts(workspaceId, c._id, c.currentRunId),
        }
      : undefined;
    const replyRate = counts.sent ? counts.replied / counts.sent : null;
    return { ...c, counts, ...(currentRun ? { currentRun } : {}), replyRate };
  }

  async start(workspaceId: string, idOrName: string): Promise<Campaign> {
    const c = await this.get(workspaceId, idOrName);
    checkAction(c.name, 'start', c.status);
    const first = firstOccurrence(c.schedule, this.deps.now()) ?? this.deps.now();
    const started = await this.move(c, 'start', { status: 'scheduled', nextRunAt: first });
    await this.deps.control.scheduleOccurrence(started, first);
    return started;
  }

  async pause(workspaceId: string, idOrName: string): Promise<Campaign> {
    const c = await this.get(workspaceId, idOrName);
    checkAction(c.name, 'pause', c.status);
    const paused = await this.move(c, 'pause', { status: 'paused' });
    if (c.currentRunId) await this.deps.control.pauseRun(workspaceId, c.currentRunId);
    return paused;
  }

  /**
   * Back to sending the current run if it is unfinished; otherwise back to waiting for the next
   * occurrence (one missed while paused is due at once), or completed for a one-off already sent.
   */
  async resume(workspaceId: string, idOrName: string): Promise<Campaign> {
    const c = await this.get(workspaceId, idOrName);
    checkAction(c.name, 'resume', c.status);
    const { control, now } = this.deps;
    const run = c.currentRunId ? await control.runStatus(workspaceId, c.currentRunId) : null;
    if (run === 'paused' || run === 'sending') {
      const resumed = await this.move(c, 'resume', { status: 'running' });
      await control.resumeRun(workspaceId, c.currentRunId!);
      return resumed;
    }
    const oneOff = c.schedule.kind === 'now' || c.schedule.kind === 'at';
    if (oneOff && run) return this.move(c, 'resume', { status: 'completed' });
    const due = c.nextRunAt && c.nextRunAt.getTime() <= now().getTime() ? now() : c.nextRunAt;
    const resumed = await this.move(c, 'resume', { status: 'scheduled', ...(due ? { nextRunAt: due } : {}) });
    if (due && due !== c.nextRunAt) await control.scheduleOccurrence(resumed, due);
    return resumed;
  }

  async cancel(workspaceId: string, idOrName: string): Promise<Campaign> {
    const c = await this.get(workspaceId, idOrName);
    checkAction(c.name, 'cancel', c.status);
    const cancelled = await this.move(c, 'cancel', { status: 'cancelled' });
    await this.deps.control.cancel(cancelled);
    return cancelled;
  }

  /** A conditional status change: a concurrent change in between is a 409, never lost. */
  private async move(c: Campaign, action: CampaignAction, patch: Partial<Campaign>): Promise<Campaign> {
    const moved = await this.deps.store.transition(c.workspaceId, c._id, fromStatuses(action), {
      ...patch,
      updatedAt: this.deps.now(),
    });
    if (moved) return moved;
    const fresh = await this.get(c.workspaceId, c._id);
    checkAction(fresh.name, action, fresh.status);
    throw new Error(`campaign ${c._id}: ${action} lost a race it should have won`);
  }

  private async segment(ws: string, ref: string, field: string) {
    const s = await this.deps.segments.find(ws, ref);
    if (!s)
      throw new ValidationError(`${field}: no segment or list "${ref}"`, { field }, 'SEGMENT_NOT_FOUND');
    return s;
  }

  private async file(name: string): Promise<string> {
    const source = await this.deps.templateFile(name);
    if (source === null)
      throw new ValidationError(`template.file: no templates/campaigns/${name}.hbs`, {
        field: 'template.file',
      });
    return source;
  }
}
