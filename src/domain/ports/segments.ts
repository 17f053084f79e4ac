/** Segment definitions as the segment service stores them (MongoDB: src/infra/repos/segments.ts). */
import type { Segment } from '../segments/types';

export interface SegmentStore {
  list(workspaceId: string): Promise<Segment[]>;
  get(workspaceId: string, id: string): Promise<Segment | null>;
  getByName(workspaceId: string, name: string): Promise<Segment | null>;
  /** Segments whose rule names this one. */
  dependents(workspaceId: string, id: string): Promise<Segment[]>;
  /** Throws ConflictError on a duplicate name. */
  insert(segment: Segment): Promise<void>;
  /** False when the segment is gone. */
  replace(segment: Segment): Promise<boolean>;
  delete(workspaceId: string, id: string): Promise<boolean>;
}
