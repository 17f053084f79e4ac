/**
 * Admin commands, text → command. Pure (no I/O), so every form and every mistake is a row in a
 * table test. Segment names are quoted (`"VIP Customers"`) where something follows them; where a
 * name ends the command the quotes are optional. Rules are kept verbatim (line and column of a rule
 * error then point into what the admin typed after `where`).
 */
import { CAMPAIGN_USAGE, parseCampaignCommand, type CampaignCommand } from './campaigns';
import { parseReport, type ReportCommand } from './report';
import { FLOW_USAGE } from './flowParse';

export type AdminCommand =
  | { kind: 'help' }
  | { kind: 'segments' }
  | { kind: 'segment.show'; name: string }
  | { kind: 'segment.create'; name: string; rule: string }
  | { kind: 'segment.preview'; rule: string }
  | { kind: 'segment.update'; name: string; rule: string }
  | { kind: 'segment.delete'; name: string }
  | { kind: 'segment.why'; contact: string; name: string }
  | { kind: 'list.create'; name: string }
  | { kind: 'list.add'; name: string; contact: string }
  | { kind: 'list.remove'; name: string; contact: string }
  | { kind: 'contact'; contact: string }
  | CampaignCommand
  | ReportCommand;

export type ParseResult = { ok: true; command: AdminCommand } | { ok: false; message: string; usage: string };

export const USAGE = {
  help: '/help',
  segments: '/segments',
  'segment.show': '/segment show <name>',
  'segment.create': '/segment create "<name>" where <rule>',
  'segment.preview': '/segment preview <rule>',
  'segment.update': '/segment update "<name>" where <rule>',
  'segment.delete': '/segment delete "<name>"',
  'segment.why': '/segment why <contact email, external id or id> "<name>"',
  'list.create': '/list create "<name>"',
  'list.add': '/list add "<name>" <contact email, external id or id>',
  'list.remove': '/list remove "<name>" <contact email, external id or id>',
  contact: '/contact <email, external id or id>',
  ...CAMPAIGN_USAGE,
  report: '/report "<segment>"',
  'report.compare': '/report compare "<a>" "<b>"',
} as const satisfies Record<AdminCommand['kind'], string>;

export const ALL_USAGE = `Admin commands:\n${[...Object.values(USAGE), ...Object.values(FLOW_USAGE)].join('\n')}\nExample: /segment create "VIP Customers" where lifetimeValue > 5000 OR tag = "VIP"`;

/** True for text that is meant as a command (starts with a slash). */
export const isCommand = (text: string | undefined): boolean => (text ?? '').trimStart().startsWith('/');

const bad = (kind: keyof typeof USAGE, message: string): ParseResult => ({
  ok: false,
  message,
  usage: `Usage: ${USAGE[kind]}`,
});
const ok = (command: AdminCommand): ParseResult => ({ ok: true, command });

/** `/segment` or `/list` with no or an unknown sub-command: that family's usages. */
function family(word: 'segment' | 'list', sub: string): ParseResult {
  const usages = Object.entries(USAGE).filter(([kind]) => kind.startsWith(`${word}.`));
  return {
    ok: false,
    message: sub ? `Unknown ${word} command "${sub}".` : `Which ${word} command?`,
    usage: usages.map(([, u]) => u).join('\n'),
  };
}

/** `"name" rest` → the name and the rest; null when the text does not start with a closed quote. */
function quoted(text: string): { name: string; rest: string } | null {
  const m = /^"([^"]*)"(.*)$/s.exec(text);
  return m ? { name: (m[1] ?? '').trim(), rest: (m[2] ?? '').trim() } : null;
}

/** A name that ends the command: quoted or bare. */
function wholeName(text: string): string {
  const q = quoted(text);
  return q && q.rest === '' ? q.name : text.trim();
}

/** `"name" where rule` (or an unquoted name before the first `where`). */
function nameWhereRule(kind: 'segment.create' | 'segment.update', text: string): ParseResult {
  const q = quoted(text);
  const m = q ? /^where\s+(.+)$/is.exec(q.rest) : /^(.+?)\s+where\s+(.+)$/is.exec(text);
  const name = q ? q.name : m?.[1]?.trim();
  const rule = (q ? m?.[1] : m?.[2])?.trim();
  if (!name) return bad(kind, 'Give the segment a name in double quotes.');
  if (!rule) return bad(kind, 'Write the rule after "where".');
  return ok({ kind, name, rule });
}

/** `"name" contact` (or: the last word is the contact, the words before it the name). */
function nameThenContact(kind: 'list.add' | 'list.remove', text: string): ParseResult {
  const q = quoted(text);
  const words = text.split(/\s+/).filter(Boolean);
  const name = q ? q.name : words.slice(0, -1).join(' ');
  const contact = q ? q.rest : words.length > 1 ? (words.at(-1) ?? '') : '';
  if (!name || !contact || /\s/.test(contact))
    return bad(kind, 'Name the list, then one contact (email, external id or id).');
  return ok({ kind, name, contact });
}

function segment(sub: string, rest: string): ParseResult {
  switch (sub) {
    case 'show':
    case 'delete': {
      const name = wholeName(rest);
      return name ? ok({ kind: `segment.${sub}`, name }) : bad(`segment.${sub}`, 'Which segment?');
    }
    case 'create':
    case 'update':
      return nameWhereRule(`segment.${sub}`, rest);
    case 'preview':
      return rest
        ? ok({ kind: 'segment.preview', rule: rest })
        : bad('segment.preview', 'Write the rule to preview.');
    case 'why': {
      const m = /^(\S+)\s+(.+)$/s.exec(rest);
      const name = m?.[2] ? wholeName(m[2]) : '';
      return m?.[1] && name
        ? ok({ kind: 'segment.why', contact: m[1], name })
        : bad('segment.why', 'Name a contact, then a segment.');
    }
    default:
      return family('segment', sub);
  }
}

function list(sub: string, rest: string): ParseResult {
  if (sub === 'create') {
    const name = wholeName(rest);
    return name ? ok({ kind: 'list.create', name }) : bad('list.create', 'Give the list a name.');
  }
  if (sub === 'add' || sub === 'remove') return nameThenContact(`list.${sub}`, rest);
  return family('list', sub);
}

/** Parses one command; anything else is a usage answer (never an exception). */
export function parseCommand(text: string): ParseResult {
  const m = /^\/(\S*)\s*(\S*)\s*(.*)$/s.exec(text.trim());
  const [word, sub, rest] = [(m?.[1] ?? '').toLowerCase(), m?.[2] ?? '', (m?.[3] ?? '').trim()];
  switch (word) {
    case 'help':
      return ok({ kind: 'help' });
    case 'segments':
      // As /flows: a word after it is a mistake (a "/segments VIP" meant /segment show).
      return sub || rest ? bad('segments', '/segments takes nothing after it.') : ok({ kind: 'segments' });
    case 'segment':
      return segment(sub.toLowerCase(), rest);
    case 'list':
      return list(sub.toLowerCase(), rest);
    case 'campaign':
      return parseCampaignCommand(sub.toLowerCase(), rest);
    case 'contact': {
      const contact = `${sub} ${rest}`.trim();
      return contact && !/\s/.test(contact)
        ? ok({ kind: 'contact', contact })
        : bad('contact', 'Name one contact.');
    }
    case 'report': {
      // The name may hold spaces and quotes: parse the raw text after the word.
      const r = parseReport(text.trim().slice('/report'.length));
      if ('error' in r)
        return { ok: false, message: r.error, usage: `Usage: ${USAGE.report}\n${USAGE['report.compare']}` };
      return ok(r);
    }
    default:
      return { ok: false, message: `Unknown command "/${word}".`, usage: ALL_USAGE };
  }
}
