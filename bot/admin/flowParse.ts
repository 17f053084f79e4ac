/**
 * Workflow admin commands, text → command (pure, table-tested):
 *   /flows
 *   /flow bind "<flow>" on enter|exit "<segment>" [once|every|cooldown 7d] [dwell 10m] [stop on exit]
 *   /flow instances <contact email, external id or id>
 *   /flow cancel <instance id>
 */
import { parseDuration } from '../../flows/policy';
import type { ReentryPolicy } from '../../flows';

export type FlowCommand =
  | { kind: 'flows' }
  | {
      kind: 'flow.bind';
      flow: string;
      segment: string;
      on: 'entered' | 'exited';
      reentry: ReentryPolicy;
      dwellMs: number;
      stopOnExit: boolean;
    }
  | { kind: 'flow.instances'; contact: string }
  | { kind: 'flow.cancel'; instanceId: string };

export const FLOW_USAGE = {
  flows: '/flows',
  'flow.bind': '/flow bind "<flow>" on enter "<segment>" [once|every|cooldown 7d] [dwell 10m] [stop on exit]',
  'flow.instances': '/flow instances <contact email, external id or id>',
  'flow.cancel': '/flow cancel <instance id>',
} as const satisfies Record<FlowCommand['kind'], string>;

export type FlowParseResult =
  { ok: true; command: FlowCommand } | { ok: false; message: string; usage: string };

/** True for text this parser answers (`/flows`, `/flow ...`). */
export const isFlowCommand = (text: string | undefined): boolean => /^\s*\/flows?(\s|$)/i.test(text ?? '');

const bad = (kind: keyof typeof FLOW_USAGE, message: string): FlowParseResult => ({
  ok: false,
  message,
  usage: `Usage: ${FLOW_USAGE[kind]}`,
});

function options(rest: string): { reentry: ReentryPolicy; dwellMs: number; stopOnExit: boolean } | string {
  let reentry: ReentryPolicy = { kind: 'once' };
  let dwellMs = 0;
  let stopOnExit = false;
  const words = rest.toLowerCase().split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === 'once' || w === 'every') reentry = { kind: w };
    else if (w === 'cooldown' || w === 'dwell') {
      const ms = parseDuration(words[i + 1] ?? '');
      if (ms === undefined) return `"${w}" needs a duration such as 30m, 2h or 7d.`;
      if (w === 'cooldown') reentry = { kind: 'cooldown', ms };
      else dwellMs = ms;
      i++;
    } else if (w === 'stop' && words[i + 1] === 'on' && words[i + 2] === 'exit') {
      stopOnExit = true;
      i += 2;
    } else return `I don't know the option "${w}".`;
  }
  return { reentry, dwellMs, stopOnExit };
}

function bind(text: string): FlowParseResult {
  const m = /^"([^"]+)"\s+on\s+(enter|entry|entered|exit|exited)\s+"([^"]+)"(.*)$/is.exec(text);
  if (!m)
    return bad('flow.bind', 'Name the flow and the segment in double quotes, with on enter or on exit.');
  const opts = options(m[4] ?? '');
  if (typeof opts === 'string') return bad('flow.bind', opts);
  const on = (m[2] ?? '').toLowerCase().startsWith('ex') ? 'exited' : 'entered';
  return {
    ok: true,
    command: { kind: 'flow.bind', flow: (m[1] ?? '').trim(), segment: (m[3] ?? '').trim(), on, ...opts },
  };
}

export function parseFlowCommand(text: string): FlowParseResult {
  const m = /^\/(flows?)\s*(\S*)\s*(.*)$/is.exec(text.trim());
  const [word, sub, rest] = [
    (m?.[1] ?? '').toLowerCase(),
    (m?.[2] ?? '').toLowerCase(),
    (m?.[3] ?? '').trim(),
  ];
  if (word === 'flows')
    return sub === ''
      ? { ok: true, command: { kind: 'flows' } }
      : bad('flows', '/flows takes nothing after it.');
  switch (sub) {
    case 'bind':
      return bind(rest);
    case 'instances':
      return rest && !/\s/.test(rest)
        ? { ok: true, command: { kind: 'flow.instances', contact: rest } }
        : bad('flow.instances', 'Name one contact (email, external id or id).');
    case 'cancel':
      return rest && !/\s/.test(rest)
        ? { ok: true, command: { kind: 'flow.cancel', instanceId: rest } }
        : bad('flow.cancel', 'Give the instance id (see /flow instances).');
    default:
      return {
        ok: false,
        message: sub ? `Unknown flow command "${sub}".` : 'Which flow command?',
        usage: Object.values(FLOW_USAGE).join('\n'),
      };
  }
}
