/**
 * Greetings and offers by segment (DESIGN §3.8): `templates/greetings/<slug>.hbs` and
 * `templates/offers/<slug>.hbs` of the caller's highest-priority segment that has one, else
 * `default.hbs`. Templates are read and compiled once at start-up (strict: a missing field is an
 * error, not a silent blank; no HTML escaping: this is chat text). A template that fails at render
 * time is logged and the default is used instead, so a bad template never silences the bot.
 */
import path from 'node:path';
import type { Logger } from '../src/domain/ports/logger';
import {
  compile,
  readTemplateDir,
  templateContact,
  type Render,
  type TemplateData,
} from '../src/domain/templates';
import type { TurnInfo } from './contracts';

export type TemplateKind = 'greetings' | 'offers';
const KINDS: readonly TemplateKind[] = ['greetings', 'offers'];
/** Template sources by kind and slug. */
export type TemplateSources = Record<TemplateKind, Record<string, string>>;

/**
 * Templates see the common data (src/domain/templates/data.ts) with `segment` (the segment whose
 * template was picked, or null for the default), `segments` (the caller's, highest priority first)
 * and `offer`; in an offer template `offer.text` is empty (it is the offer).
 */

export class Personaliser {
  private constructor(
    private readonly templates: Record<TemplateKind, Map<string, Render>>,
    private readonly log: Logger,
  ) {}

  /** Reads `<dir>/greetings/*.hbs` and `<dir>/offers/*.hbs`; each folder needs a `default.hbs`. */
  static async load(dir: string, log: Logger): Promise<Personaliser> {
    const sources: TemplateSources = { greetings: {}, offers: {} };
    for (const kind of KINDS) {
      const folder = path.join(dir, kind);
      for (const [slug, source] of await readTemplateDir(folder)) sources[kind][slug] = source;
    }
    return Personaliser.fromSources(sources, log);
  }

  /** Compiles templates given as text (slug → source); a segment template that does not compile is skipped. */
  static fromSources(sources: TemplateSources, log: Logger): Personaliser {
    const templates = { greetings: new Map<string, Render>(), offers: new Map<string, Render>() };
    for (const kind of KINDS) {
      for (const [slug, source] of Object.entries(sources[kind])) {
        try {
          templates[kind].set(slug, compile(source)); // syntax errors now, not on some caller's turn
        } catch (err) {
          if (slug === 'default') throw err;
          log.error({ err, template: `${kind}/${slug}.hbs` }, 'bot: template skipped (it does not compile)');
        }
      }
      if (!templates[kind].has('default')) throw new Error(`templates: ${kind}/default.hbs is missing`);
    }
    return new Personaliser(templates, log);
  }

  /** The slug whose template applies: the highest-priority segment that has one, else default. */
  pick(kind: TemplateKind, info: Pick<TurnInfo, 'segments'>): string {
    return info.segments.find((s) => this.templates[kind].has(s.slug))?.slug ?? 'default';
  }

  greeting(info: TurnInfo): string {
    return this.render('greetings', info, this.offer(info));
  }

  offer(info: TurnInfo): string {
    return this.render('offers', info, '');
  }

  private render(kind: TemplateKind, info: TurnInfo, offerText: string): string {
    const slug = this.pick(kind, info);
    const offerSlug = kind === 'offers' ? slug : this.pick('offers', info);
    const picked = info.segments.find((s) => s.slug === slug);
    const data: TemplateData = {
      contact: templateContact(info.contact),
      segment: picked ? { name: picked.name, slug: picked.slug } : null,
      segments: info.segments.map((s) => ({ name: s.name, slug: s.slug, priority: s.priority })),
      offer: {
        segment: info.segments.find((s) => s.slug === offerSlug)?.name ?? null,
        slug: offerSlug,
        text: offerText,
      },
    };
    try {
      return this.templates[kind].get(slug)!(data).trim();
    } catch (err) {
      if (slug === 'default') throw err;
      this.log.error(
        { err, template: `${kind}/${slug}.hbs`, contactId: info.contact._id },
        'bot: template failed',
      );
      return this.templates[kind].get('default')!(data).trim();
    }
  }
}
