/**
 * Campaign message templates, on the one template setup (src/domain/templates: the same contact
 * shape as bot replies and workflows, plus `campaign.name` and the audience as `segment`). A
 * template is checked when the campaign is created, by compiling it and rendering it for a sample
 * contact that has every standard field, so a typo is a 400 then rather than failed deliveries later.
 */
import { ValidationError } from '../../errors';
import { ZERO_TRAITS, type Contact } from '../contacts/types';
import { compile, templateContact, type TemplateSegment } from '../templates';

/** What a campaign message is rendered from. */
export interface CampaignMessage {
  contact: Contact;
  campaign: { name: string };
  segment?: TemplateSegment | null;
}

export type RenderFn = (m: CampaignMessage) => string;

export const MAX_TEMPLATE_LENGTH = 4000;

/** Compiles a template; throws ValidationError (TEMPLATE_INVALID) when it does not compile or render. */
export function compileTemplate(source: string, sample: Contact = sampleContact()): RenderFn {
  if (!source.trim()) throw invalid('The message template is empty');
  if (source.length > MAX_TEMPLATE_LENGTH)
    throw invalid(`The message template is longer than ${MAX_TEMPLATE_LENGTH} characters`);
  let render: RenderFn;
  try {
    const template = compile(source);
    render = (m) =>
      template({ contact: templateContact(m.contact), segment: m.segment ?? null, campaign: m.campaign });
  } catch (err) {
    throw invalid(`The message template does not compile: ${oneLine(err)}`);
  }
  let text: string;
  try {
    text = render({
      contact: sample,
      campaign: { name: 'Sample' },
      segment: { name: 'Sample', slug: 'sample' },
    });
  } catch (err) {
    throw invalid(
      `The message template fails for a sample contact: ${oneLine(err)}. Fields are contact.name, contact.firstName, contact.email, contact.tags, contact.custom.<field> (inside {{#if}}), the traits (e.g. contact.lifetimeValue), segment.name and campaign.name`,
    );
  }
  if (!text.trim()) throw invalid('The message template renders as empty text');
  return render;
}

/** A contact with every standard field set, so only misspelt or unknown fields fail. */
export function sampleContact(): Contact {
  const at = new Date('2026-01-01T12:00:00Z');
  return {
    ...ZERO_TRAITS,
    _id: 'sample',
    workspaceId: 'sample',
    externalId: 'sample-1',
    name: 'Sam Sample',
    email: 'sam@example.com',
    emailDomain: 'example.com',
    phone: '+15550100',
    createdAt: at,
    updatedAt: at,
    tags: ['sample'],
    custom: {},
    optedOut: false,
    identities: [],
    segments: [],
    nextRecheckAt: null,
    version: 1,
    lastPurchaseAt: at,
    lastConversationAt: at,
    leadScore: 50,
    leadScoreAt: at,
  };
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .slice(0, 300);
}

const invalid = (message: string) => new ValidationError(message, { field: 'template' }, 'TEMPLATE_INVALID');
