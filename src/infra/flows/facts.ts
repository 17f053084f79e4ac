/**
 * What a step knows about its contact: the contact (fresh on every step) and the names of its
 * segments. Segment names come from a per-workspace cache re-read when the segment generation
 * moves (checked at most once a second), so a batch of steps costs one contact read.
 */
import type { SegmentRepo } from '../repos/segments';
import type { EffectPorts } from './effects';
import type { Facts, FactsSource } from './stepper';

const CHECK_EVERY_MS = 1000;

export class ContactFacts implements FactsSource {
  private readonly names = new Map<
    string,
    { checkedAt: number; generation: number; keys: Map<string, string> }
  >();

  constructor(
    private readonly ports: Pick<EffectPorts, 'contactById' | 'contactsByIds'>,
    private readonly segments: Pick<SegmentRepo, 'list' | 'generation'>,
  ) {}

  async load(ws: string, contactId: string): Promise<Facts | null> {
    return (await this.loadMany(ws, [contactId])).get(contactId) ?? null;
  }

  async loadMany(ws: string, ids: string[]): Promise<Map<string, Facts>> {
    const ports = this.ports;
    const contacts = ports.contactsByIds
      ? await ports.contactsByIds(ws, [...new Set(ids)])
      : (await Promise.all(ids.map((id) => ports.contactById(ws, id)))).flatMap((c) => (c ? [c] : []));
    const out = new Map<string, Facts>();
    for (const contact of contacts) {
      const keys = await this.segmentKeys(ws, contact.segments[0]?.segmentId);
      const segmentNames = contact.segments.flatMap((s) => keys.get(`name:${s.segmentId}`) ?? []);
      out.set(contact._id, { contact, segmentNames });
    }
    return out;
  }

  /** id → lower-case name and `name:<id>` → name, for the workspace's segments. */
  async segmentKeys(ws: string, wanted?: string): Promise<Map<string, string>> {
    const hit = this.names.get(ws);
    const fresh =
      hit && Date.now() - hit.checkedAt < CHECK_EVERY_MS && (wanted === undefined || hit.keys.has(wanted));
    if (hit && fresh) return hit.keys;
    const generation = await this.segments.generation(ws);
    if (hit && hit.generation === generation) {
      hit.checkedAt = Date.now();
      return hit.keys;
    }
    const keys = new Map<string, string>();
    for (const s of await this.segments.list(ws)) {
      keys.set(s._id, s.nameKey);
      keys.set(`name:${s._id}`, s.name);
    }
    this.names.set(ws, { checkedAt: Date.now(), generation, keys });
    return keys;
  }
}
