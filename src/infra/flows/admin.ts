/**
 * Managing flows, for the REST API and the admin chat commands alike: the catalogue with its
 * bindings, creating and enabling bindings (the segment named by id or name), a contact's or a
 * flow's instances, an instance's history with its step records (explain), cancelling.
 */
import { FLOWS, findFlow, type ReentryPolicy } from '../../../flows';
import { formatMs } from '../../../flows/policy';
import type { SegmentService } from '../../domain/segments/service';
import { NotFoundError, ValidationError } from '../../errors';
import type { FlowRuntime } from './index';
import type { FlowBinding, FlowInstance, StepRecord } from './store';

export interface NewBinding {
  flow: string;
  segment: string;
  on: 'entered' | 'exited';
  reentry: ReentryPolicy;
  dwellMs: number;
  stopOnExit: boolean;
}

export interface InstanceView {
  id: string;
  flowId: string;
  contactId: string;
  status: FlowInstance['status'];
  state: string | null;
  nextWakeAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  trigger: FlowInstance['trigger'];
}

export const instanceView = (i: FlowInstance): InstanceView => ({
  id: i._id,
  flowId: i.flowId,
  contactId: i.contactId,
  status: i.status,
  state: i.state,
  nextWakeAt: i.nextWakeAt,
  startedAt: i.startedAt,
  endedAt: i.endedAt,
  trigger: i.trigger,
});

export const describeReentry = (r: ReentryPolicy): string =>
  r.kind === 'cooldown' ? `cooldown ${formatMs(r.ms)}` : r.kind;

export class FlowAdmin {
  constructor(
    private readonly flows: FlowRuntime,
    private readonly segments: Pick<SegmentService, 'get' | 'getByName'>,
  ) {}

  async catalogue(ws: string) {
    const bindings = await this.flows.bindings.list(ws);
    return FLOWS.map((f) => ({
      id: f.id,
      name: f.name,
      description: f.description,
      templates: f.templates,
      bindings: bindings.filter((b) => b.flowId === f.id),
    }));
  }

  async bind(ws: string, input: NewBinding): Promise<FlowBinding> {
    const flow = findFlow(input.flow);
    if (!flow) throw new ValidationError(`Unknown flow "${input.flow}"`, { field: 'flow' }, 'UNKNOWN_FLOW');
    const seg = await this.segments
      .get(ws, input.segment)
      .catch(() => this.segments.getByName(ws, input.segment));
    return this.flows.bindings.create(
      ws,
      {
        flowId: flow.id,
        segmentName: seg.name,
        on: input.on,
        stopOnExit: input.stopOnExit,
        reentry: input.reentry,
        dwellMs: input.dwellMs,
      },
      seg._id,
    );
  }

  setEnabled(ws: string, bindingId: string, enabled: boolean): Promise<FlowBinding> {
    return this.flows.bindings.setEnabled(ws, bindingId, enabled);
  }

  async instances(
    ws: string,
    by: { contactId?: string; flowId?: string },
    limit = 50,
  ): Promise<InstanceView[]> {
    if (!by.contactId && !by.flowId)
      throw new ValidationError('Give contactId or flowId', { field: 'contactId' });
    const rows = await this.flows.c.instances
      .find({
        workspaceId: ws,
        ...(by.contactId ? { contactId: by.contactId } : {}),
        ...(by.flowId ? { flowId: by.flowId } : {}),
      })
      .sort({ createdAt: -1 })
      .limit(limit)
      .toArray();
    return rows.map(instanceView);
  }

  /** The instance, its history (what started it, each step with time and outcome) and its step records. */
  async explain(
    ws: string,
    id: string,
  ): Promise<InstanceView & { history: FlowInstance['history']; steps: StepRecord[] }> {
    const inst = await this.flows.c.instances.findOne({ _id: id, workspaceId: ws });
    if (!inst) throw new NotFoundError('flow instance', id);
    const steps = await this.flows.c.steps
      .find({ instanceId: id, workspaceId: ws })
      .sort({ startedAt: 1 })
      .toArray();
    return { ...instanceView(inst), history: inst.history, steps };
  }

  async cancel(ws: string, id: string, by: string): Promise<InstanceView> {
    const inst = await this.flows.c.instances.findOne({ _id: id, workspaceId: ws });
    if (!inst) throw new NotFoundError('flow instance', id);
    if (!['pending', 'running', 'dwelling'].includes(inst.status))
      throw new ValidationError(
        `The instance has already ended (${inst.status})`,
        { status: inst.status },
        'FLOW_NOT_RUNNING',
      );
    await this.flows.cancel(ws, id, `cancelled by ${by}`);
    const after = await this.flows.c.instances.findOne({ _id: id, workspaceId: ws });
    return instanceView(after ?? inst);
  }
}
