/**
 * Runs admin commands against the existing services: SegmentService for definitions, the
 * membership queries for counts, previews and impact, the engine for list membership, explainRule
 * for "why". Nothing here re-implements their rules; failures are thrown (onTurnError answers).
 * Changes that need a "yes" are stored as pending actions and applied by `confirm`.
 */
import type { CampaignService } from '../../src/domain/campaigns/service';
import type { Attachment } from 'botbuilder';
import type { Contact } from '../../src/domain/contacts/types';
import { SegmentService } from '../../src/domain/segments/service';
import type { Segment } from '../../src/domain/segments/types';
import { ValidationError } from '../../src/errors';
import type { Membership } from '../../src/infra/membership';
import type { RebuildStatus } from '../../src/infra/membership/rebuild';
import type { PendingAction } from '../../src/infra/repos/pendingConfirmations';
import { explainRule, formatRule } from '../../src/rules';
import type { TurnInfo } from '../contracts';
import { runCampaignCommand } from './campaigns';
import { findContact, type ContactFinder } from './contactRef';
import * as fmt from './format';
import { ALL_USAGE, USAGE, type AdminCommand } from './parse';
import { runReport } from './report';
import type { ReportPort } from './reportTypes';

export interface AdminServices {
  segments: SegmentService;
  membership: Pick<Membership, 'queries' | 'engine' | 'catalog' | 'clock'> &
    Partial<Pick<Membership, 'rebuilder'>>;
  contacts: ContactFinder;
  campaigns?: CampaignService;
  /** Reports and charts (/report); without them the command says reports are unavailable. */
  reports?: ReportPort;
}

/** A reply, and optionally an action that waits for the admin's "yes". */
export interface CommandOutcome {
  reply: string;
  pending?: PendingAction;
  /** Sent with the reply (a report's chart). */
  attachments?: Attachment[];
}

export class AdminCommands {
  constructor(private readonly s: AdminServices) {}

  async run(cmd: AdminCommand, info: TurnInfo): Promise<CommandOutcome> {
    const ws = info.workspaceId;
    const { segments, membership: m } = this.s;
    const count = (s: Segment) => m.queries.memberCount(ws, s._id);
    switch (cmd.kind) {
      case 'help':
        return { reply: ALL_USAGE };
      case 'segments': {
        const all = await segments.list(ws);
        if (all.length === 0) return { reply: `No segments yet. Create one with ${USAGE['segment.create']}` };
        const rebuilds = (await m.rebuilder?.status(ws)) ?? new Map<string, RebuildStatus>();
        const lines = await Promise.all(
          all.map(async (s) => fmt.segmentLine(s, await count(s), rebuilds.get(s._id))),
        );
        return { reply: [`Segments (${all.length}):`, ...lines].join('\n') };
      }
      case 'segment.show': {
        const s = await segments.getByName(ws, cmd.name);
        return { reply: fmt.segmentDetails(s, await count(s)) };
      }
      case 'segment.create': {
        const s = await segments.create(
          ws,
          { name: cmd.name, rule: cmd.rule },
          `bot:${info.channelId}:${info.userId}`,
        );
        const p = await m.queries.preview(ws, s.rule!, undefined, 1);
        return {
          reply: `Created "${s.name}" (dynamic). ${fmt.plural(p.count, 'contact')} ${p.count === 1 ? 'matches' : 'match'} now; membership is being updated.`,
        };
      }
      case 'list.create': {
        const s = await segments.create(
          ws,
          { name: cmd.name, type: 'static' },
          `bot:${info.channelId}:${info.userId}`,
        );
        return {
          reply: `Created the list "${s.name}". Add contacts with /list add "${s.name}" <contact email, external id or id>`,
        };
      }
      case 'segment.preview':
        return {
          reply: fmt.previewText(
            await m.queries.preview(ws, SegmentService.readRule(cmd.rule), undefined, fmt.SAMPLE_SIZE),
          ),
        };
      case 'segment.update': {
        const rule = SegmentService.readRule(cmd.rule); // a typo is answered before anything else
        const s = await segments.getByName(ws, cmd.name);
        if (s.type !== 'dynamic') throw notDynamic(s);
        const p = await m.queries.preview(ws, rule, s._id, 1);
        const ruleText = formatRule(rule);
        return {
          reply: fmt.impactText(s.name, ruleText, p),
          pending: { kind: 'segment.update', segmentId: s._id, name: s.name, ruleText },
        };
      }
      case 'segment.delete': {
        const s = await segments.getByName(ws, cmd.name);
        return {
          reply: `Delete "${s.name}" (${s.type}, ${fmt.plural(await count(s), 'member')})? Type "yes" to delete it; anything else cancels.`,
          pending: { kind: 'segment.delete', segmentId: s._id, name: s.name },
        };
      }
      case 'segment.why': {
        const [contact, s] = await Promise.all([
          this.contact(ws, cmd.contact),
          segments.getByName(ws, cmd.name),
        ]);
        const member = contact.segments.some((x) => x.segmentId === s._id);
        if (!s.rule)
          return {
            reply: `${fmt.who(contact)} is ${member ? '' : 'not '}on the list "${s.name}" (lists change only by hand).`,
          };
        const x = explainRule(s.rule, { ...contact }, m.clock(), (await m.catalog.get(ws)).ctx);
        return { reply: fmt.explainText(contact, s, member, x) };
      }
      case 'list.add':
      case 'list.remove': {
        const add = cmd.kind === 'list.add';
        const [list, contact] = await Promise.all([
          segments.getByName(ws, cmd.name),
          this.contact(ws, cmd.contact),
        ]);
        if (list.type !== 'static')
          throw new ValidationError(
            `"${list.name}" is a dynamic segment: its members follow its rule`,
            {},
            'NOT_A_LIST',
          );
        const changed = await m.engine.setListMember(ws, contact._id, list._id, add);
        const name = fmt.who(contact);
        if (!changed) return { reply: `${name} is ${add ? 'already' : 'not'} on "${list.name}".` };
        return { reply: add ? `Added ${name} to "${list.name}".` : `Removed ${name} from "${list.name}".` };
      }
      case 'report':
      case 'report.compare': {
        if (!this.s.reports) return { reply: 'Reports are not available on this bot.' };
        return runReport(this.s.reports, ws, cmd, (name) => segments.getByName(ws, name));
      }
      case 'contact': {
        const c = await this.contact(ws, cmd.contact);
        const byId = new Map((await segments.list(ws)).map((s) => [s._id, s.name]));
        const names = c.segments.flatMap((x) => byId.get(x.segmentId) ?? []);
        return { reply: fmt.contactText(c, names) };
      }
      default:
        return { reply: await runCampaignCommand(this.s.campaigns, cmd, info) };
    }
  }

  /** Applies a confirmed action (re-validated: the segment may have changed meanwhile). */
  async confirm(action: PendingAction, info: TurnInfo): Promise<string> {
    if (action.kind === 'segment.update') {
      await this.s.segments.update(info.workspaceId, action.segmentId, { rule: action.ruleText });
      return `Updated "${action.name}". Membership is being recomputed.`;
    }
    await this.s.segments.delete(info.workspaceId, action.segmentId);
    return `Deleted "${action.name}".`;
  }

  /** An email, a contact id or an external id. */
  private contact(ws: string, ref: string): Promise<Contact> {
    return findContact(this.s.contacts, ws, ref);
  }
}

const notDynamic = (s: Segment) =>
  new ValidationError(`"${s.name}" is a static list: it has no rule to update`, {}, 'NOT_DYNAMIC');
