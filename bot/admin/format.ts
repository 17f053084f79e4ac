/**
 * Admin replies as chat text: pure formatting of segments, previews, contacts and explanations
 * (the data comes from SegmentService, the membership queries and explainRule).
 */
import type { Contact } from '../../src/domain/contacts/types';
import type { Segment } from '../../src/domain/segments/types';
import type { ContactSummary, Preview } from '../../src/infra/membership/queries';
import type { RebuildStatus } from '../../src/infra/membership/rebuild';
import { formatRule, type Explanation, type RuleExplanation } from '../../src/rules';

/** How many sample contacts a chat preview lists. */
export const SAMPLE_SIZE = 5;

export const who = (c: Pick<ContactSummary, '_id' | 'name' | 'email'>): string =>
  `${c.name || '(no name)'}${c.email ? ` <${c.email}>` : ''}`;

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function segmentLine(s: Segment, members: number, rebuild?: RebuildStatus): string {
  return `- ${s.name}: ${s.type}, ${plural(members, 'member')}, priority ${s.priority}${rebuildText(rebuild)}`;
}

/** While a rebuild is under way the member count mixes two rules: say so, with progress. */
export function rebuildText(r: RebuildStatus | undefined): string {
  if (!r || r.state === 'done' || r.state === 'idle') return '';
  if (r.state === 'pending' || r.total === null) return ' (rebuild waiting to start)';
  const pct = r.total === 0 ? 100 : Math.min(100, Math.floor((100 * r.done) / r.total));
  const eta = r.etaMs === null ? '' : `, about ${Math.ceil(r.etaMs / 1000)} s left`;
  return ` (rebuilding: ${pct}%, ${r.done} of ${r.total} contacts${eta})`;
}

export function segmentDetails(s: Segment, members: number): string {
  return [
    `${s.name} (${s.type}, priority ${s.priority}${s.routing ? ', VIP routing' : ''})`,
    s.rule ? `Rule: ${formatRule(s.rule)}` : 'A static list: members are added by hand.',
    `Members: ${members}`,
    ...(s.description ? [`Description: ${s.description}`] : []),
  ].join('\n');
}

export function previewText(p: Preview): string {
  if (p.count === 0) return 'No contact matches that rule right now.';
  const sample = p.sample.slice(0, SAMPLE_SIZE).map(who).join(', ');
  return `${plural(p.count, 'contact')} ${p.count === 1 ? 'matches' : 'match'}. For example: ${sample}`;
}

export function impactText(name: string, rule: string, p: Preview): string {
  const { enter = 0, exit = 0 } = p.impact ?? {};
  return [
    `Change "${name}" to: ${rule}`,
    `${plural(enter, 'contact')} would enter and ${plural(exit, 'contact')} would exit (${p.count} would match in all).`,
    'Type "yes" to apply it; anything else cancels.',
  ].join('\n');
}

const show = (v: unknown): string =>
  v === undefined || v === null ? '(none)' : v instanceof Date ? v.toISOString() : JSON.stringify(v);

export function contactText(c: Contact, segmentNames: string[]): string {
  const traits = [
    'lifetimeValue',
    'purchaseCount',
    'lastPurchaseAt',
    'conversationCount',
    'lastConversationAt',
    'leadScore',
    'openDeals',
    'supportTickets',
    'totalTickets',
  ] as const;
  return [
    `${who(c)} (id ${c._id})`,
    `Traits: ${traits.map((t) => `${t} ${show(c[t])}`).join(', ')}`,
    `Tags: ${c.tags.length ? c.tags.join(', ') : '(none)'}`,
    ...(Object.keys(c.custom).length ? [`Custom: ${show(c.custom)}`] : []),
    `Segments: ${segmentNames.length ? segmentNames.join(', ') : '(none)'}`,
    `Opted out: ${c.optedOut ? 'yes' : 'no'}`,
  ].join('\n');
}

function tree(e: Explanation, depth: number): string[] {
  const pad = '  '.repeat(depth);
  const mark = e.result ? '[yes]' : '[no]';
  if (e.kind === 'condition') return [`${pad}${mark} ${e.text} (actual: ${show(e.actual)})`];
  const head = `${pad}${mark} ${e.not ? 'NOT ' : ''}${e.op === 'and' ? 'all of' : 'any of'}:`;
  return [head, ...e.children.flatMap((c) => tree(c, depth + 1))];
}

export function explainText(contact: Contact, segment: Segment, member: boolean, x: RuleExplanation): string {
  return [
    `${who(contact)} is ${member ? '' : 'not '}in "${segment.name}"; the rule is ${x.result ? 'true' : 'false'} now.`,
    ...tree(x.tree, 0),
    x.nextFlip
      ? `It will next change by itself at ${x.nextFlip}.`
      : 'It will not change by itself as time passes.',
  ].join('\n');
}
