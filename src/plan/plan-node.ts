/**
 * The plan stage (pure): a resolved node → its NodePlan, built by modules in a fixed order. Profile
 * entries that collide with what kindling writes on any OS (plan/reserved-entries.ts) are errors at
 * the profile line, except drop-ins on flanneld.service (the supported way to adjust it).
 *
 * Nodes that differ only in their own facts (name, addresses, MACs, static network) get the same
 * plan but for the entries modules add with perNodeFile/perNodeUnit: such a group is planned once,
 * and each further node gets its per-node entries made anew (a fleet is a few groups of thousands
 * of nodes). test/plan/plan-groups.test.ts holds every grouped plan equal to one planned alone.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Project, ResolvedNode } from '../resolve/project-model.ts';
import type { NodePlan, PlanBuilder, PlannedFile, PlannedUnit, TemplateRenderer } from './node-plan.ts';
import { templateRenderer, TemplateError } from './templates.ts';
import { addFlannel } from './modules/flannel.ts';
import { addFlannelMetrics } from './modules/flannel-metrics.ts';
import { addCni } from './modules/cni.ts';
import { addHostNetwork } from './modules/host-network.ts';
import { addStaticNetwork, staticNetworkPaths } from './modules/static-network.ts';
import { addProfileExtras } from './modules/profile-extras.ts';
import { internPlan, sharedValue } from './intern.ts';
import { contentKey } from './content-key.ts';
import { BuildContext, contextTable } from '../build/build-context.ts';
import { reservedEntries, reservedPathProblem, reservedUnitProblem, type ReservedEntries } from './reserved-entries.ts';

function binDirFor(os: ResolvedNode['os']): string {
  return os === 'flatcar' ? '/opt/bin' : '/usr/local/bin';
}

/**
 * `context` holds what this build already planned: nodes of one build must be planned with the
 * same context and the same project. Without one, the node is planned alone.
 */
export function planNode(project: Project, node: ResolvedNode, context = new BuildContext()): { plan?: NodePlan; diagnostics: Diagnostic[] } {
  context.serve(project);
  const table = context.table(GROUPS);
  const key = groupKey(context, node);
  const group = table.get(key);
  if (group) return { plan: planFromGroup(group, node), diagnostics: [] };
  const planned = planAlone(project, node, context);
  // Only a clean plan is shared: a plan with problems is made (and reported) for each node.
  if (planned.plan && planned.diagnostics.length === 0 && planned.group) {
    if (table.size >= MAX_GROUPS) table.clear();
    table.set(key, planned.group);
  }
  return { ...(planned.plan ? { plan: planned.plan } : {}), diagnostics: planned.diagnostics };
}

/** A group's plan, and where its per-node entries go. */
interface GroupPlan {
  readonly plan: NodePlan;
  readonly files: readonly PerNodeSlot<PlannedFile>[];
  readonly units: readonly PerNodeSlot<PlannedUnit>[];
}

interface PerNodeSlot<T> {
  readonly index: number;
  readonly make: (node: ResolvedNode) => T;
}

const GROUPS = contextTable('plan groups', () => new Map<string, GroupPlan>());
/** Groups per build before the table starts over (a fleet has a handful; this bounds a pathological one). */
const MAX_GROUPS = 4096;

function planFromGroup(group: GroupPlan, node: ResolvedNode): NodePlan {
  const files = [...group.plan.files];
  for (const slot of group.files) files[slot.index] = slot.make(node);
  const units = [...group.plan.units];
  for (const slot of group.units) units[slot.index] = slot.make(node);
  return { ...group.plan, node, files, units };
}

/**
 * Facts of a node that only per-node entries may read; everything else about the node is part of
 * its group's key, so a new setting separates groups unless it is added here on purpose.
 */
const NODE_OWN_FACTS: ReadonlySet<string> = new Set(['name', 'ip', 'ipv6', 'macs', 'origin', 'network']);

function groupKey(context: BuildContext, node: ResolvedNode): string {
  const shared: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(node)) {
    if (!NODE_OWN_FACTS.has(field) && field !== 'artifacts') shared[field] = value;
  }
  // Which static-network files a node gets (not their contents) is shared by its group.
  shared.staticNetworkPaths = staticNetworkPaths(node);
  const artifacts = artifactsKey(context, node.artifacts);
  // JSON.stringify is the engine's fastest walk; a node carrying long texts (large inline files)
  // is keyed with its texts as numbers instead, so that its key stays short. File bytes skip the
  // walk: JSON writes a byte array as an object with a key per byte.
  const json = node.files.some((f) => f.contents.kind === 'bytes') ? undefined : JSON.stringify(shared);
  if (json !== undefined && json.length <= 4096) return `j${artifacts}${json}`;
  let key = `v${artifacts}`;
  for (const [field, value] of Object.entries(shared)) key += `${field}=${contentKey(context, value)};`;
  return key;
}

/**
 * Artifacts are one object per architecture (resolve/artifacts.ts), but a worker thread receives a
 * copy with every chunk of nodes: their key text is made once per object, from their contents.
 */
const ARTIFACT_KEYS = contextTable('artifact keys', () => new WeakMap<object, string>());

function artifactsKey(context: BuildContext, artifacts: ResolvedNode['artifacts']): string {
  const table = context.table(ARTIFACT_KEYS);
  let key = table.get(artifacts);
  if (key === undefined) table.set(artifacts, (key = contentKey(context, artifacts)));
  return key;
}

/** A plan builder for `node`; `makers` records how each per-node entry was made. */
function newBuilder(
  project: Project,
  context: BuildContext,
  node: ResolvedNode,
  makers?: Map<object, (node: ResolvedNode) => object>,
  templates = templateRenderer(project.templates, context),
): PlanBuilder {
  const builder: PlanBuilder = {
    node,
    cluster: project.cluster,
    binDir: binDirFor(node.os),
    files: [],
    directories: [],
    links: [],
    units: [],
    users: [],
    templates,
    share: (key, make) => sharedValue(context, key, make),
    perNodeFile: (make) => {
      const entry = make(node);
      makers?.set(entry, make);
      builder.files.push(entry);
    },
    perNodeUnit: (make) => {
      const entry = make(node);
      makers?.set(entry, make);
      builder.units.push(entry);
    },
  };
  return builder;
}

/** kindling's own modules, in their fixed order. */
function addKindlingModules(builder: PlanBuilder): void {
  addFlannel(builder);
  addFlannelMetrics(builder);
  addCni(builder);
  addHostNetwork(builder);
  addStaticNetwork(builder);
}

/** The reserved set needs paths and names only: the plans it is made from leave unit text empty. */
const NO_TEXT: TemplateRenderer = () => '';

/** What kindling's modules alone write for `node` if it ran `os` (paths and names; no unit text). */
function kindlingPlan(project: Project, context: BuildContext, node: ResolvedNode, os: ResolvedNode['os']): NodePlan {
  const builder = newBuilder(project, context, { ...node, os }, undefined, NO_TEXT);
  addKindlingModules(builder);
  return builder;
}

/** The plan of one node, from the modules; with its group's record when it has per-node entries. */
function planAlone(project: Project, node: ResolvedNode, context: BuildContext): { plan?: NodePlan; group?: GroupPlan; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const makers = new Map<object, (node: ResolvedNode) => object>();
  const builder = newBuilder(project, context, node, makers);
  let reserved: ReservedEntries;
  try {
    addKindlingModules(builder);
    reserved = reservedEntries((os) => kindlingPlan(project, context, node, os), NO_TEXT, context);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    diagnostics.push({ code: 'template/error', severity: 'error', message: error.message, hint: 'check the template in your project templates/ folder', location: project.cluster.origin });
    return { diagnostics };
  }
  const managedUnits = new Map(builder.units.map((u, i) => [u.name, i]));

  // Profile extras come from the profile alone (never per node).
  const extras: PlanBuilder = { ...builder, files: [], units: [], users: [], perNodeFile: notForProfiles, perNodeUnit: notForProfiles };
  addProfileExtras(extras);
  builder.users.push(...extras.users);

  for (const file of extras.files) {
    const problem = reservedPathProblem(file.path, reserved);
    if (problem) {
      diagnostics.push({ ...problem, severity: 'error', ...(file.origin ? { location: file.origin } : {}) });
      continue;
    }
    builder.files.push(file);
  }
  for (const unit of extras.units) {
    const problem = reservedUnitProblem(unit, reserved);
    if (problem) {
      diagnostics.push({ ...problem, severity: 'error', ...(unit.origin ? { location: unit.origin } : {}) });
      continue;
    }
    const index = managedUnits.get(unit.name);
    if (index === undefined) {
      builder.units.push(unit);
      continue;
    }
    const managed = builder.units[index]!;
    const merged: PlannedUnit = { ...managed, dropins: [...managed.dropins, ...unit.dropins] };
    const make = makers.get(managed) as ((n: ResolvedNode) => PlannedUnit) | undefined;
    if (make) {
      const extra = unit.dropins;
      makers.set(merged, (n) => {
        const made = make(n);
        return { ...made, dropins: [...made.dropins, ...extra] };
      });
    }
    builder.units[index] = merged;
  }

  const plan: NodePlan = {
    node: builder.node,
    cluster: builder.cluster,
    binDir: builder.binDir,
    files: [...builder.files],
    directories: [...builder.directories],
    links: [...builder.links],
    units: [...builder.units],
    users: [...builder.users],
  };
  const interned = internPlan(context, plan);
  const slots = <T extends object>(list: readonly T[]): PerNodeSlot<T>[] | undefined => {
    const out: PerNodeSlot<T>[] = [];
    for (let index = 0; index < list.length; index++) {
      const entry = list[index]! as T & { perNode?: boolean };
      const make = makers.get(entry) as ((n: ResolvedNode) => T) | undefined;
      if (make) out.push({ index, make });
      else if (entry.perNode === true) return undefined; // made some other way: this plan is not shared
    }
    return out;
  };
  const files = slots(interned.files);
  const units = slots(interned.units);
  return { plan: interned, ...(files && units ? { group: { plan: interned, files, units } } : {}), diagnostics };
}

function notForProfiles(): never {
  throw new Error('profile extras have no per-node entries');
}
