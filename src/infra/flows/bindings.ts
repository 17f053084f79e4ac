/**
 * Bindings: stored, cached per workspace for a second (the dispatcher asks on every transition),
 * created from the admin API or chat, enabled and disabled. The built-in ones are installed for a
 * workspace by segment name, so they apply as soon as the seed creates those segments.
 */
import { randomUUID } from 'node:crypto';
import { BUILT_IN_BINDINGS, findFlow, type BindingSpec } from '../../../flows';
import { NotFoundError, ValidationError } from '../../errors';
import { conflictFrom, isDuplicateKey } from '../repos/mongoErrors';
import type { FlowBinding, FlowCollections } from './store';

const CACHE_MS = 1000;

export class BindingRepo {
  private readonly cache = new Map<string, { at: number; list: FlowBinding[] }>();

  constructor(
    private readonly c: FlowCollections,
    private readonly clock: () => Date,
  ) {}

  /** Enabled bindings of a workspace (cached briefly; changes here clear the cache). */
  async enabled(ws: string): Promise<FlowBinding[]> {
    const hit = this.cache.get(ws);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.list;
    const list = await this.c.bindings.find({ workspaceId: ws, enabled: true }).toArray();
    this.cache.set(ws, { at: Date.now(), list });
    return list;
  }

  list(ws: string): Promise<FlowBinding[]> {
    return this.c.bindings.find({ workspaceId: ws }).sort({ createdAt: 1 }).toArray();
  }

  async get(ws: string, id: string): Promise<FlowBinding> {
    const b = await this.c.bindings.findOne({ _id: id, workspaceId: ws });
    if (!b) throw new NotFoundError('binding', id);
    return b;
  }

  /** Creates a binding; one per (flow, segment, transition kind). */
  async create(
    ws: string,
    spec: BindingSpec,
    segmentId: string | null,
    builtIn = false,
  ): Promise<FlowBinding> {
    if (!findFlow(spec.flowId))
      throw new ValidationError(`Unknown flow "${spec.flowId}"`, { field: 'flowId' }, 'UNKNOWN_FLOW');
    const now = this.clock();
    const b: FlowBinding = {
      ...spec,
      _id: randomUUID(),
      workspaceId: ws,
      segmentId,
      segmentKey: spec.segmentName.toLowerCase(),
      enabled: true,
      builtIn,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.c.bindings.insertOne(b);
    } catch (err) {
      conflictFrom(err, 'binding', {
        workspaceId_1_flowId_1_segmentKey_1_on_1: 'flow, segment and transition',
      });
    }
    this.cache.delete(ws);
    return b;
  }

  async setEnabled(ws: string, id: string, enabled: boolean): Promise<FlowBinding> {
    const b = await this.c.bindings.findOneAndUpdate(
      { _id: id, workspaceId: ws },
      { $set: { enabled, updatedAt: this.clock() } },
      { returnDocument: 'after' },
    );
    if (!b) throw new NotFoundError('binding', id);
    this.cache.delete(ws);
    return b;
  }

  /** Installs the built-in bindings a workspace lacks (idempotent; a disabled one stays disabled). */
  async ensureBuiltIns(ws: string): Promise<void> {
    for (const spec of BUILT_IN_BINDINGS) {
      await this.c.bindings
        .updateOne(
          { workspaceId: ws, flowId: spec.flowId, segmentKey: spec.segmentName.toLowerCase(), on: spec.on },
          {
            $setOnInsert: {
              ...spec,
              _id: `builtin:${ws}:${spec.flowId}`,
              segmentId: null,
              enabled: true,
              builtIn: true,
              createdAt: this.clock(),
              updatedAt: this.clock(),
            },
          },
          { upsert: true },
        )
        .catch((err: unknown) => {
          if (!isDuplicateKey(err)) throw err; // another process installed it at the same moment
        });
    }
    this.cache.delete(ws);
  }
}

/** Does the binding name this segment (by id, or by name for built-ins)? */
export const bindsSegment = (b: FlowBinding, segmentId: string, nameKey: string | undefined): boolean =>
  b.segmentId !== null ? b.segmentId === segmentId : b.segmentKey === nameKey;
