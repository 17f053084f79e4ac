/** Segments and static lists (DESIGN §3.4), as repositories return them. */
import type { Rule } from '../../rules';

export type SegmentType = 'dynamic' | 'static';

export interface Segment {
  _id: string;
  workspaceId: string;
  name: string;
  /** Lower-cased name: the unique key per workspace (names are unique case-insensitively). */
  nameKey: string;
  slug: string;
  type: SegmentType;
  /** Dynamic segments only; stored as the AST, never as a Mongo filter. */
  rule?: Rule;
  /** Bumped on every rule change; a rebuild is for one version. */
  version: number;
  /** Higher wins when the bot picks a greeting or queues a handoff. */
  priority: number;
  /** Members who ask for a person are routed to a human agent first (DESIGN §3.8). */
  routing: boolean;
  description: string;
  /** Ids of the segments this one's rule names (`in segment "X"`): the dependency graph. */
  dependsOn: string[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface SegmentInput {
  name: string;
  type?: SegmentType;
  /** The rule as text (`lifetimeValue > 5000 OR tag = "VIP"`) or as an AST. */
  rule?: unknown;
  priority?: number;
  routing?: boolean;
  description?: string;
}

export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'segment';
}
