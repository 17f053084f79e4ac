/**
 * The flow effects' ports over the app's real parts: the bot's proactive sender (which honours
 * opt-out), the contact service (so tag and field changes update membership like any other
 * write), the handoff queue, and the compiled flow templates.
 */
import type { ContactService } from '../../domain/contacts/service';
import type { Contact } from '../../domain/contacts/types';
import type { Segment } from '../../domain/segments/types';
import type { EffectPorts } from './effects';
import type { RenderFlowTemplate } from './templates';

export interface FlowPortDeps {
  contacts: Pick<ContactService, 'changeTags' | 'setCustom'>;
  contactRepo: {
    findById(ws: string, id: string): Promise<Contact | null>;
    findByIds(ws: string, ids: string[]): Promise<Contact[]>;
  };
  proactive: {
    toContact(
      ws: string,
      id: string,
      text: string,
    ): Promise<'sent' | 'opted-out' | 'no-reference' | 'failed'>;
  };
  segments: { list(ws: string): Promise<Segment[]> };
  handoff: (contact: Contact, segments: Segment[]) => Promise<boolean>;
  render: RenderFlowTemplate;
}

export function flowPorts(d: FlowPortDeps): EffectPorts {
  return {
    contactById: (ws, id) => d.contactRepo.findById(ws, id),
    contactsByIds: (ws, ids) => d.contactRepo.findByIds(ws, ids),
    sendToContact: (ws, id, text) => d.proactive.toContact(ws, id, text),
    changeTags: async (ws, id, change) => {
      await d.contacts.changeTags(ws, id, change);
    },
    setCustom: async (ws, id, key, value) => {
      await d.contacts.setCustom(ws, id, key, { value });
    },
    startHandoff: async (ws, contact) => {
      const mine = new Set(contact.segments.map((s) => s.segmentId));
      return d.handoff(
        contact,
        (await d.segments.list(ws)).filter((s) => mine.has(s._id)),
      );
    },
    render: d.render,
  };
}
