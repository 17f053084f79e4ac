/**
 * Creating, changing and deleting segments: the rule is parsed (text) or validated (AST), the
 * segments it names must exist, cycles are rejected, names are unique per workspace, and a delete
 * is refused while another segment depends on it. A definition change asks for a rebuild.
 */
import { parseRule, validateRule, type Rule } from '../../rules';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { dependencyOrder, referencedSegmentNames } from './graph';
import { slugify, type Segment, type SegmentInput } from './types';
import { newId } from '../ports/ids';
import type { SegmentStore } from '../ports/segments';
import { trimBlanks } from '../wire';

export type { SegmentStore } from '../ports/segments';

export interface SegmentServiceDeps {
  store: SegmentStore;
  now: () => Date;
  /** Called after a dynamic segment's rule is created or changed: the engine rebuilds it. */
  definitionChanged: (workspaceId: string, segmentId: string) => Promise<void>;
}

/** Counted in code points (the `u` flag), as the OpenAPI document's maxLength counts. */
const NAME = /^[^\u0000-\u001f"]{1,100}$/u;

export class SegmentService {
  constructor(private readonly deps: SegmentServiceDeps) {}

  /** Text → parseRule (line/column errors); anything else → validateRule (path errors). */
  static readRule(rule: unknown): Rule {
    return typeof rule === 'string' ? parseRule(rule) : validateRule(rule);
  }

  async create(workspaceId: string, input: SegmentInput, createdBy: string): Promise<Segment> {
    const name = checkName(input.name);
    const type = input.type ?? (input.rule === undefined ? 'static' : 'dynamic');
    if (type !== 'dynamic' && type !== 'static') {
      throw new ValidationError('type is "dynamic" (with a rule) or "static" (a list)', { field: 'type' });
    }
    checkExtras(input);
    if (type === 'dynamic' && input.rule === undefined) {
      throw new ValidationError('A dynamic segment needs a rule', { field: 'rule' });
    }
    if (type === 'static' && input.rule !== undefined) {
      throw new ValidationError('A static list has no rule: its members are added by hand', {
        field: 'rule',
      });
    }
    const rule = input.rule === undefined ? undefined : SegmentService.readRule(input.rule);
    const now = this.deps.now();
    const segment: Segment = {
      _id: newId(),
      workspaceId,
      name,
      nameKey: name.toLowerCase(),
      slug: slugify(name),
      type,
      ...(rule ? { rule } : {}),
      version: 1,
      priority: checkPriority(input.priority ?? 0),
      routing: input.routing ?? false,
      description: input.description ?? '',
      dependsOn: rule ? await this.resolveDependencies(workspaceId, rule, undefined) : [],
      createdBy,
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.store.insert(segment);
    if (rule) await this.deps.definitionChanged(workspaceId, segment._id);
    return segment;
  }

  async update(workspaceId: string, id: string, patch: Partial<SegmentInput>): Promise<Segment> {
    const current = await this.get(workspaceId, id);
    const next: Segment = { ...current, updatedAt: this.deps.now() };
    if (patch.name !== undefined && patch.name !== current.name) {
      const name = checkName(patch.name);
      const dependents = await this.deps.store.dependents(workspaceId, id);
      if (dependents.length > 0) {
        throw new ConflictError(`Cannot rename "${current.name}": ${names(dependents)} refer to it by name`, {
          dependents: dependents.map((d) => d.name),
        });
      }
      Object.assign(next, { name, nameKey: name.toLowerCase(), slug: slugify(name) });
    }
    checkExtras(patch);
    if (patch.priority !== undefined) next.priority = checkPriority(patch.priority);
    if (patch.routing !== undefined) next.routing = patch.routing;
    if (patch.description !== undefined) next.description = patch.description;
    let ruleChanged = false;
    if (patch.rule !== undefined) {
      if (current.type === 'static')
        throw new ValidationError('A static list has no rule', { field: 'rule' });
      const rule = SegmentService.readRule(patch.rule);
      ruleChanged = JSON.stringify(rule) !== JSON.stringify(current.rule);
      if (ruleChanged) {
        next.rule = rule;
        next.version = current.version + 1;
        next.dependsOn = await this.resolveDependencies(workspaceId, rule, current);
      }
    }
    if (!(await this.deps.store.replace(next))) throw new NotFoundError('segment', id);
    if (ruleChanged) await this.deps.definitionChanged(workspaceId, id);
    return next;
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    const current = await this.get(workspaceId, id);
    const dependents = await this.deps.store.dependents(workspaceId, id);
    if (dependents.length > 0) {
      throw new ConflictError(`Cannot delete "${current.name}": ${names(dependents)} depend on it`, {
        dependents: dependents.map((d) => d.name),
      });
    }
    await this.deps.store.delete(workspaceId, id);
    // Its members leave it: a rebuild walks them and records each `exited` (cause definition).
    await this.deps.definitionChanged(workspaceId, id);
  }

  list(workspaceId: string): Promise<Segment[]> {
    return this.deps.store.list(workspaceId);
  }

  async get(workspaceId: string, id: string): Promise<Segment> {
    const s = await this.deps.store.get(workspaceId, id);
    if (!s) throw new NotFoundError('segment', id);
    return s;
  }

  /** By name, case-insensitively (names are unique that way). */
  async getByName(workspaceId: string, name: string): Promise<Segment> {
    const s = await this.deps.store.getByName(workspaceId, name.trim());
    if (!s) throw new NotFoundError('segment', `"${name.trim()}"`);
    return s;
  }

  /** Ids of the segments the rule names; unknown names and cycles are errors. */
  private async resolveDependencies(
    workspaceId: string,
    rule: Rule,
    self: Segment | undefined,
  ): Promise<string[]> {
    const wanted = [...referencedSegmentNames(rule)];
    if (wanted.length === 0) return [];
    const all = await this.deps.store.list(workspaceId);
    const byKey = new Map(all.map((s) => [s.nameKey, s]));
    const ids = wanted.map((name) => {
      const s = byKey.get(name.toLowerCase());
      if (!s)
        throw new ValidationError(
          `The rule names a segment that does not exist: "${name}"`,
          { segment: name },
          'UNKNOWN_SEGMENT',
        );
      return s._id;
    });
    if (self) {
      const graph = all.map((s) => (s._id === self._id ? { ...s, dependsOn: ids } : s));
      dependencyOrder(graph);
    }
    return ids;
  }
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(trimBlanks(name))) {
    throw new ValidationError(
      'A segment name is 1–100 characters without double quotes or control characters',
      {
        field: 'name',
      },
    );
  }
  return trimBlanks(name);
}

function checkExtras(input: Partial<SegmentInput>): void {
  if (input.routing !== undefined && typeof input.routing !== 'boolean') {
    throw new ValidationError('routing is true or false', { field: 'routing' });
  }
  if (
    input.description !== undefined &&
    (typeof input.description !== 'string' || input.description.length > 1000)
  ) {
    throw new ValidationError('description is text of at most 1000 characters', { field: 'description' });
  }
}

function checkPriority(p: unknown): number {
  if (typeof p !== 'number' || !Number.isInteger(p) || p < -1000 || p > 1000) {
    throw new ValidationError('priority is a whole number from -1000 to 1000', { field: 'priority' });
  }
  return p;
}

const names = (segments: Segment[]) => segments.map((s) => `"${s.name}"`).join(', ');
