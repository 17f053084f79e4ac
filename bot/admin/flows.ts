/**
 * The workflow admin commands in chat (`/flows`, `/flow bind|instances|cancel`), for admins only:
 * anyone else is refused like every admin command, and nothing changes. The runtime is given
 * late (it is built after the bot, whose proactive sender it uses).
 */
import type { FlowAdmin, InstanceView } from '../../src/infra/flows/admin';
import { describeReentry } from '../../src/infra/flows/admin';
import { formatMs } from '../../flows/policy';
import type { TurnHandler } from '../contracts';
import { NotAllowedError, UsageError } from '../errors';
import { commandText } from '../text';
import { findContact, type ContactFinder } from './contactRef';
import { isFlowCommand, parseFlowCommand, type FlowCommand } from './flowParse';

export interface FlowCommandDeps {
  admin: () => Pick<FlowAdmin, 'catalogue' | 'bind' | 'instances' | 'cancel'>;
  contacts: ContactFinder;
}

export function createFlowCommandHandler(deps: FlowCommandDeps): TurnHandler {
  return async (context, info) => {
    // Cleaned as every command is (format characters, full-width letters, typographic quotes).
    const text = commandText(context.activity.text);
    if (context.activity.type !== 'message' || !isFlowCommand(text)) return false;
    if (!info.roles.includes('admin')) throw new NotAllowedError('admin');
    const parsed = parseFlowCommand(text);
    if (!parsed.ok) throw new UsageError(parsed.message, parsed.usage);
    await context.sendActivity(
      await run(deps, parsed.command, info.workspaceId, `bot:${info.channelId}:${info.userId}`),
    );
    return true;
  };
}

async function run(deps: FlowCommandDeps, cmd: FlowCommand, ws: string, by: string): Promise<string> {
  const admin = deps.admin();
  switch (cmd.kind) {
    case 'flows': {
      const lines = (await admin.catalogue(ws)).flatMap((f) => [
        `- ${f.name} (${f.id}): ${f.description}`,
        ...f.bindings.map(
          (b) =>
            `    on ${b.on === 'entered' ? 'enter' : 'exit'} "${b.segmentName}", ${describeReentry(b.reentry)}` +
            `${b.dwellMs ? `, dwell ${formatMs(b.dwellMs)}` : ''}${b.stopOnExit ? ', stops on exit' : ''}` +
            `${b.enabled ? '' : ' (disabled)'}`,
        ),
      ]);
      return ['Flows:', ...lines].join('\n');
    }
    case 'flow.bind': {
      const b = await admin.bind(ws, { ...cmd });
      return `Bound "${cmd.flow}" to ${b.on === 'entered' ? 'entering' : 'leaving'} "${b.segmentName}" (${describeReentry(b.reentry)}${b.dwellMs ? `, dwell ${formatMs(b.dwellMs)}` : ''}${b.stopOnExit ? ', stops on exit' : ''}).`;
    }
    case 'flow.instances': {
      const c = await findContact(deps.contacts, ws, cmd.contact);
      const list = await admin.instances(ws, { contactId: c._id }, 10);
      if (list.length === 0) return `${c.name} has no flow instances.`;
      return [`Flows of ${c.name}:`, ...list.map(line)].join('\n');
    }
    case 'flow.cancel': {
      const v = await admin.cancel(ws, cmd.instanceId, by);
      return `Cancelled ${v.flowId} for contact ${v.contactId}.`;
    }
  }
}

const line = (i: InstanceView): string =>
  `- ${i.flowId}: ${i.status}${i.state ? ` at "${i.state}"` : ''}` +
  `${i.nextWakeAt ? `, next step ${new Date(i.nextWakeAt).toISOString()}` : ''}` +
  ` (started by ${i.trigger.kind} ${new Date(i.trigger.at).toISOString()}; id ${i.id})`;
