/**
 * `/campaign` admin commands: parsing (pure) and running them on the CampaignService.
 *   /campaign create "<name>" to "<segment or list>" say "<text>"   (sent now, 50 messages/s)
 *   /campaign start|pause|resume|cancel "<name>"
 *   /campaign status ["<name>"]
 * Scheduling, rates, quiet hours and templates from files are the REST API's (more to type).
 */
import type { CampaignService, CampaignView } from '../../src/domain/campaigns/service';
import type { Campaign } from '../../src/domain/campaigns/types';
import type { TurnInfo } from '../contracts';

export type CampaignCommand =
  | { kind: 'campaign.create'; name: string; segment: string; text: string }
  | { kind: 'campaign.start' | 'campaign.pause' | 'campaign.resume' | 'campaign.cancel'; name: string }
  | { kind: 'campaign.status'; name?: string };

export const CAMPAIGN_USAGE = {
  'campaign.create': '/campaign create "<name>" to "<segment>" say "<text>"',
  'campaign.start': '/campaign start "<name>"',
  'campaign.pause': '/campaign pause "<name>"',
  'campaign.resume': '/campaign resume "<name>"',
  'campaign.cancel': '/campaign cancel "<name>"',
  'campaign.status': '/campaign status ["<name>"]',
} as const satisfies Record<CampaignCommand['kind'], string>;

type Parsed = { ok: true; command: CampaignCommand } | { ok: false; message: string; usage: string };

const usage = (kind: CampaignCommand['kind'], message: string): Parsed => ({
  ok: false,
  message,
  usage: `Usage: ${CAMPAIGN_USAGE[kind]}`,
});

const CREATE = /^"([^"]+)"\s+to\s+"([^"]+)"\s+say\s+(.+)$/is;

/** `sub` is the word after /campaign, `rest` what follows it. */
export function parseCampaignCommand(sub: string, rest: string): Parsed {
  const unquoted = rest.replace(/^"(.*)"$/s, '$1').trim();
  switch (sub) {
    case 'create': {
      const m = CREATE.exec(rest);
      const text = m?.[3]
        ?.trim()
        .replace(/^"(.*)"$/s, '$1')
        .trim();
      if (!m || !text) return usage('campaign.create', 'Name the campaign, its segment and what to say.');
      return {
        ok: true,
        command: { kind: 'campaign.create', name: m[1]!.trim(), segment: m[2]!.trim(), text },
      };
    }
    case 'start':
    case 'pause':
    case 'resume':
    case 'cancel':
      return unquoted && !unquoted.includes('"')
        ? { ok: true, command: { kind: `campaign.${sub}`, name: unquoted } }
        : usage(`campaign.${sub}`, 'Which campaign?');
    case 'status':
      return unquoted.includes('"')
        ? usage('campaign.status', 'Name one campaign, or none for all.')
        : { ok: true, command: { kind: 'campaign.status', ...(unquoted ? { name: unquoted } : {}) } };
    default:
      return {
        ok: false,
        message: sub ? `Unknown campaign command "${sub}".` : 'Which campaign command?',
        usage: Object.values(CAMPAIGN_USAGE).join('\n'),
      };
  }
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 1000) / 10}%`);

function statusText(v: CampaignView): string {
  const c = v.counts;
  const run = v.currentRun ? ` (run ${v.currentRun.status ?? 'gone'})` : '';
  return (
    `${v.name}: ${v.status}${run}. ${c.total} recipients: ${c.sent} sent, ${c.failed} failed, ` +
    `${c.skipped} skipped, ${c.unknown} unknown, ${c.pending + c.sending} to go; replies ${c.replied} (${pct(v.replyRate)}).`
  );
}

const ACTION_TEXT = {
  start: (c: Campaign) =>
    c.schedule.kind === 'now'
      ? `Started "${c.name}": sending begins in a moment. /campaign status "${c.name}" shows progress.`
      : `Started "${c.name}": the first run is due at ${c.nextRunAt?.toISOString() ?? 'its scheduled time'}.`,
  pause: (c: Campaign) => `Paused "${c.name}": no more messages until /campaign resume "${c.name}".`,
  resume: (c: Campaign) => `Resumed "${c.name}" (${c.status}).`,
  cancel: (c: Campaign) => `Cancelled "${c.name}": nothing more will be sent.`,
};

export async function runCampaignCommand(
  service: CampaignService | undefined,
  cmd: CampaignCommand,
  info: TurnInfo,
): Promise<string> {
  if (!service) return 'Campaigns are not available in this bot.';
  const ws = info.workspaceId;
  switch (cmd.kind) {
    case 'campaign.create': {
      const c = await service.create(
        ws,
        { name: cmd.name, audience: { segment: cmd.segment }, template: { text: cmd.text } },
        `bot:${info.channelId}:${info.userId}`,
      );
      return `Created the campaign "${c.name}" to "${cmd.segment}" (a draft). Send it with /campaign start "${c.name}".`;
    }
    case 'campaign.status': {
      if (cmd.name) return statusText(await service.view(ws, cmd.name));
      const all = await service.list(ws);
      if (!all.length) return `No campaigns yet. Create one with ${CAMPAIGN_USAGE['campaign.create']}`;
      const views = await Promise.all(all.slice(0, 20).map((c) => service.view(ws, c._id)));
      return [`Campaigns (${all.length}):`, ...views.map((v) => `- ${statusText(v)}`)].join('\n');
    }
    default: {
      const action = cmd.kind.slice('campaign.'.length) as keyof typeof ACTION_TEXT;
      return ACTION_TEXT[action](await service[action](ws, cmd.name));
    }
  }
}
