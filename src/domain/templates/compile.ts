/**
 * The one Handlebars setup for message templates: an isolated instance (no helper or partial
 * registered elsewhere leaks in), `noEscape` (chat text, not HTML) and `strict` (a misspelt field
 * is an error, not a silent blank). The data is plain values (data.ts): user text never becomes
 * template code.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { TemplateData } from './data';

export type Render = (data: TemplateData) => string;

const hb = Handlebars.create();

/** Parses and compiles; throws Handlebars' error for a template that does not compile. */
export function compile(source: string): Render {
  hb.parse(source); // syntax errors now, not when the first message is rendered
  return hb.compile<TemplateData>(source, { noEscape: true, strict: true });
}

/** Every `<dir>/*.hbs` source by its name without `.hbs`; a missing folder has none. */
export async function readTemplateDir(dir: string): Promise<Map<string, string>> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const out = new Map<string, string>();
  for (const f of files.filter((x) => x.endsWith('.hbs')).sort()) {
    out.set(f.slice(0, -'.hbs'.length), await readFile(path.join(dir, f), 'utf8'));
  }
  return out;
}
