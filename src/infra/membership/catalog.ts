/**
 * Compiled segments per workspace, cached and recompiled when the workspace's definition
 * generation moves (one indexed read per evaluation keeps every process current).
 */
import { compileWorkspace, type CompiledWorkspace } from '../../domain/membership/evaluate';
import type { SegmentRepo } from '../repos/segments';

export class SegmentCatalog {
  private readonly cache = new Map<string, CompiledWorkspace>();

  constructor(private readonly segments: Pick<SegmentRepo, 'generation' | 'list'>) {}

  async get(workspaceId: string): Promise<CompiledWorkspace> {
    const generation = await this.segments.generation(workspaceId);
    const cached = this.cache.get(workspaceId);
    if (cached && cached.generation === generation) return cached;
    const compiled = compileWorkspace(await this.segments.list(workspaceId), generation);
    this.cache.set(workspaceId, compiled);
    return compiled;
  }
}
