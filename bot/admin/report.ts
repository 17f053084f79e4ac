/**
 * `/report "<segment>"` and `/report compare "<a>" "<b>"` for admins: the numbers as chat text
 * and the chart as an image attachment (an SVG data URI, so it needs no URL reachable from the
 * channel). Parsing and formatting are pure; `runReport` reads through the reports service.
 */
import type { Attachment } from 'botbuilder';
import { compareChart, historyChart } from '../../src/domain/reports/charts';
import type { CompareRow, SegmentReport } from './reportTypes';
import type { ReportPort } from './reportTypes';

export const REPORT_DAYS = 30;
export const MAX_COMPARED = 10;

export type ReportCommand = { kind: 'report'; name: string } | { kind: 'report.compare'; names: string[] };

/** The text after `/report`: one segment name, or `compare` and two or more names. */
export function parseReport(rest: string): ReportCommand | { error: string } {
  const text = rest.trim();
  const m = /^compare(?:\s+(.*))?$/is.exec(text);
  if (m && !text.startsWith('"')) {
    const args = (m[1] ?? '').trim();
    const quoted = [...args.matchAll(/"([^"]*)"/g)].map((q) => (q[1] ?? '').trim());
    const leftover = args.replace(/"[^"]*"/g, '').trim();
    const names = quoted.length > 0 ? quoted : args.split(/\s+/).filter(Boolean);
    if ((quoted.length > 0 && leftover) || names.some((n) => !n))
      return { error: 'Put each segment name in double quotes.' };
    if (names.length < 2 || names.length > MAX_COMPARED)
      return { error: `Name 2 to ${MAX_COMPARED} segments to compare.` };
    return { kind: 'report.compare', names };
  }
  const q = /^"([^"]*)"$/s.exec(text);
  const name = (q ? (q[1] ?? '') : text).trim();
  return name ? { kind: 'report', name } : { error: 'Which segment?' };
}

const num = (n: number | null, digits = 1): string =>
  n === null ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits });
const pct = (n: number | null): string => (n === null ? 'n/a' : `${(n * 100).toFixed(1)}%`);
const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

export function reportText(r: SegmentReport): string {
  const first = r.history[0];
  const entered = r.history.reduce((a, p) => a + p.entered, 0);
  const exited = r.history.reduce((a, p) => a + p.exited, 0);
  const f = r.freshness;
  const fresh =
    f.state === 'fresh'
      ? `fresh${f.exactAsOf ? `, exact as of ${f.exactAsOf.slice(11, 19)} UTC` : ', rebuild running'}`
      : `STALE: ${(f.reasons ?? []).join('; ')}`;
  return [
    `${r.name}: ${r.size} ${r.size === 1 ? 'member' : 'members'} (${fresh}).`,
    `Last ${r.history.length} days: ${first?.size ?? 0} → ${r.size} (${signed(r.size - (first?.size ?? 0))}); entered ${entered}, exited ${exited}.`,
  ].join('\n');
}

export function compareText(rows: readonly CompareRow[]): string {
  const oldest = Math.min(...rows.map((r) => new Date(r.asOf).getTime()));
  return [
    'Segment: members · avg lifetime value · avg lead score · conversations per member · handoffs · opted out · delivery · reply',
    ...rows.map(
      (r) =>
        `${r.name}: ${r.members} · ${num(r.avgLifetimeValue, 0)} · ${num(r.avgLeadScore)} · ` +
        `${num(r.conversationsPerMember)} · ${r.handoffs} · ${pct(r.optedOutShare)} · ` +
        `${pct(r.deliveryRate)} · ${pct(r.replyRate)}`,
    ),
    `Members, averages and opted out as of ${new Date(oldest).toISOString().slice(11, 19)} UTC.`,
  ].join('\n');
}

export const svgAttachment = (svg: string, name: string): Attachment => ({
  contentType: 'image/svg+xml',
  contentUrl: `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`,
  name,
});

/** Runs a report command: the text and the chart. Unknown names are NotFoundError (answered by onTurnError). */
export async function runReport(
  port: ReportPort,
  workspaceId: string,
  cmd: ReportCommand,
  byName: (name: string) => Promise<{ _id: string }>,
): Promise<{ reply: string; attachments: Attachment[] }> {
  if (cmd.kind === 'report') {
    const s = await byName(cmd.name);
    const r = await port.service.segment(workspaceId, s._id, REPORT_DAYS);
    const svg = await port.renderer.svg(historyChart(r.name, r.history));
    return { reply: reportText(r), attachments: [svgAttachment(svg, `${r.name} history.svg`)] };
  }
  const ids = [...new Set((await Promise.all(cmd.names.map(byName))).map((s) => s._id))];
  const rows = await port.service.compare(workspaceId, ids);
  const svg = await port.renderer.svg(compareChart(rows, 'members'));
  return { reply: compareText(rows), attachments: [svgAttachment(svg, 'segments compared.svg')] };
}
