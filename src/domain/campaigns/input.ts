/**
 * What a client may send to create a campaign, validated with zod into a plain draft. Names of
 * the audience segments are resolved later by the service (they need the database); everything
 * else is checked here, and the first problem becomes one ValidationError naming the field.
 */
import { z } from 'zod';
import { ValidationError } from '../../errors';
import { codePoints, text, trimBlanks } from '../wire';
import type { QuietHours, Schedule } from './types';

// A regex (the one parseTime reads) rather than a refine, so the OpenAPI document says it too.
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'a UTC time of day HH:MM' });
const ref = text(100, 'the segment');

const scheduleSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('now') }),
    z.strictObject({ kind: z.literal('at'), at: z.iso.datetime({ offset: true }) }),
    z.strictObject({ kind: z.literal('daily'), time }),
    z.strictObject({ kind: z.literal('weekly'), weekday: z.number().int().min(0).max(6), time }),
  ],
  { error: 'schedule.kind is "now", "at" (with at), "daily" (with time) or "weekly" (with weekday, time)' },
);

/** Inline Handlebars text, or the name of a file under templates/campaigns/ (without .hbs). */
const templateSchema = z.union([
  z.strictObject({ text: z.string().max(4000) }),
  z.strictObject({ file: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a file name such as win-back') }),
]);

export const campaignInputSchema = z.strictObject({
  name: z
    .string()
    .refine((n) => codePoints(n) <= 100, 'at most 100 characters')
    .regex(
      /^[ \t\n\r]*[^\u0000-\u001f" ](?:[^\u0000-\u001f"]*[^\u0000-\u001f" ])?[ \t\n\r]*$/u,
      'no double quotes or control characters',
    )
    .transform(trimBlanks)
    .meta({ maxLength: 100 }),
  audience: z.strictObject({
    /** A segment or list, by id or by name. */
    segment: ref,
    exclude: ref.optional(),
  }),
  template: templateSchema,
  schedule: scheduleSchema.default({ kind: 'now' }),
  ratePerSecond: z.number().int().min(1).max(10_000).default(50),
  quietHours: z
    .strictObject({ start: time, end: time })
    .refine((q) => q.start !== q.end, { error: 'start and end must differ' })
    .optional(),
});

export interface CampaignDraft {
  name: string;
  audience: { segment: string; exclude?: string };
  template: { text: string } | { file: string };
  schedule: Schedule;
  ratePerSecond: number;
  quietHours?: QuietHours;
}

/** Parses a create request; throws ValidationError (400) naming the first bad field. */
export function parseCampaignInput(body: unknown): CampaignDraft {
  const r = campaignInputSchema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    throw new ValidationError(`${field || 'body'}: ${issue?.message ?? 'invalid'}`, { field });
  }
  const d = r.data;
  const schedule: Schedule =
    d.schedule.kind === 'at' ? { kind: 'at', at: new Date(d.schedule.at) } : d.schedule;
  return {
    name: d.name,
    audience: { segment: d.audience.segment, ...(d.audience.exclude ? { exclude: d.audience.exclude } : {}) },
    template: d.template,
    schedule,
    ratePerSecond: d.ratePerSecond,
    ...(d.quietHours ? { quietHours: d.quietHours } : {}),
  };
}

/** POST /campaigns/preview: a template rendered for one contact (or the sample contact) before saving. */
export const templatePreviewSchema = z.strictObject({
  template: templateSchema,
  /** A contact of the workspace; without it, the sample contact every template is checked with. */
  contactId: z.string().trim().min(1).max(100).optional(),
  /** The audience (a segment or list, by id or name): what `{{segment.name}}` shows. */
  segment: ref.optional(),
  /** What `{{campaign.name}}` shows (default "Preview"). */
  name: z.string().max(100).optional(),
});

export type TemplatePreviewInput = z.output<typeof templatePreviewSchema>;

/** Parses a preview request; throws ValidationError (400) naming the first bad field. */
export function parseTemplatePreview(body: unknown): TemplatePreviewInput {
  const r = templatePreviewSchema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue?.path.join('.') ?? '';
  throw new ValidationError(`${field || 'body'}: ${issue?.message ?? 'invalid'}`, { field });
}
