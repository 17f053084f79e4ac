/**
 * Flow message templates: `templates/flows/<name>.hbs`, compiled once at start-up on the one
 * template setup (src/domain/templates), so they see the same `contact` as bot replies and
 * campaigns. `segment` is null in workflow messages. A template that does not compile stops start-up.
 */
import type { Contact } from '../../domain/contacts/types';
import { compile, readTemplateDir, templateContact, type Render } from '../../domain/templates';

export type RenderFlowTemplate = (name: string, contact: Contact) => string;

/** Reads and compiles every `.hbs` in `dir`. */
export async function loadFlowTemplates(dir: string): Promise<Map<string, Render>> {
  const out = new Map<string, Render>();
  for (const [name, source] of await readTemplateDir(dir)) out.set(name, compile(source));
  return out;
}

export function templateRenderer(templates: Map<string, Render>): RenderFlowTemplate {
  return (name, contact) => {
    const t = templates.get(name);
    if (!t) throw new Error(`flow template "${name}" not found (templates/flows/${name}.hbs)`);
    return t({ contact: templateContact(contact), segment: null });
  };
}
