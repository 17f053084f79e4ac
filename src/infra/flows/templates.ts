/**
 * Flow message templates: `templates/flows/<name>.hbs`, compiled once at start-up with
 * `noEscape` (chat text, not HTML) and `strict` (a missing field fails loudly instead of
 * sending a half-empty message). The data is plain values: user text never becomes template code.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { Contact } from '../../domain/contacts/types';

export type FlowTemplateData = {
  contact: { name: string; firstName: string; email: string; custom: Record<string, unknown> };
};
export type RenderFlowTemplate = (name: string, contact: Contact) => string;

/** Reads and compiles every `.hbs` in `dir`; a template that does not compile stops start-up. */
export async function loadFlowTemplates(dir: string): Promise<Map<string, Handlebars.TemplateDelegate>> {
  const hb = Handlebars.create();
  const out = new Map<string, Handlebars.TemplateDelegate>();
  const files = await readdir(dir).catch(() => [] as string[]);
  for (const f of files.filter((x) => x.endsWith('.hbs'))) {
    const source = await readFile(path.join(dir, f), 'utf8');
    hb.parse(source);
    out.set(f.slice(0, -4), hb.compile<FlowTemplateData>(source, { noEscape: true, strict: true }));
  }
  return out;
}

export function templateRenderer(templates: Map<string, Handlebars.TemplateDelegate>): RenderFlowTemplate {
  return (name, contact) => {
    const t = templates.get(name);
    if (!t) throw new Error(`flow template "${name}" not found (templates/flows/${name}.hbs)`);
    const data: FlowTemplateData = {
      contact: {
        name: contact.name ?? '',
        firstName: (contact.name ?? '').split(/\s+/)[0] ?? '',
        email: contact.email ?? '',
        custom: { ...contact.custom },
      },
    };
    return t(data);
  };
}
