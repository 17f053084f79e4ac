/** Segment definitions as the segment service stores them (MongoDB: src/infra/repos/segments.ts). */
import type { Segment } from '../segments/types';

export interface SegmentStore {
  /** Highest priority first, then by name (the bot reads its callers' segments in this order). */
  list(workspaceId: string): Promise<Segment[]>;
  get(workspaceId: string, id: string): Promise<Segment | null>;
  /** By `nameKey`: names are unique per workspace case-insensitively. */
  getByName(workspaceId: string, name: string): Promise<Segment | null>;
  /** Segments whose rule names this one. */
  dependents(workspaceId: string, id: string): Promise<Segment[]>;
  /** Throws ConflictError on a duplicate name. */
  insert(segment: Segment): Promise<void>;
  /** False when the segment is gone; ConflictError when its new name is taken. */
  replace(segment: Segment): Promise<boolean>;
  delete(workspaceId: string, id: string): Promise<boolean>;
}
