/**
 * The plan stage (pure): a resolved node → its NodePlan, built by modules in a fixed order. Profile
 * entries that collide with what kindling manages are errors at the profile line, except a profile
 * unit that only adds drop-ins to a kindling unit (the supported way to adjust flanneld.service).
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Project, ResolvedNode } from '../resolve/project-model.ts';
import type { NodePlan, PlanBuilder, PlannedUnit } from './node-plan.ts';
import { templateRenderer, TemplateError } from './templates.ts';
import { addFlannel } from './modules/flannel.ts';
import { addCni } from './modules/cni.ts';
import { addHostNetwork } from './modules/host-network.ts';
import { addProfileExtras } from './modules/profile-extras.ts';
import { internPlan, sharedValue } from './intern.ts';

export function binDirFor(os: ResolvedNode['os']): string {
  return os === 'flatcar' ? '/opt/bin' : '/usr/local/bin';
}

export function planNode(project: Project, node: ResolvedNode): { plan?: NodePlan; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const builder: PlanBuilder = {
    node,
    cluster: project.cluster,
    binDir: binDirFor(node.os),
    files: [],
    directories: [],
    links: [],
    units: [],
    users: [],
    templates: templateRenderer(project.templates),
    share: (key, make) => sharedValue(project, key, make),
  };
  try {
    addFlannel(builder);
    addCni(builder);
    addHostNetwork(builder);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    diagnostics.push({ code: 'template/error', severity: 'error', message: error.message, hint: 'check the template in your project templates/ folder', location: project.cluster.origin });
    return { diagnostics };
  }
  const managedFiles = new Set([...builder.files.map((f) => f.path), ...builder.directories.map((d) => d.path)]);
  const managedUnits = new Map(builder.units.map((u, i) => [u.name, i]));

  const extras: PlanBuilder = { ...builder, files: [], units: [], users: [] };
  addProfileExtras(extras);
  builder.users.push(...extras.users);

  const seenProfilePaths = new Set<string>();
  for (const file of extras.files) {
    if (managedFiles.has(file.path)) {
      diagnostics.push({
        code: 'file/duplicate-path',
        severity: 'error',
        message: `${file.path} is written by kindling's ${builder.files.find((f) => f.path === file.path)?.source ?? 'flannel'} module`,
        hint: 'choose another path, or adjust the managed file through the profile settings that produce it',
        ...(file.origin ? { location: file.origin } : {}),
      });
      continue;
    }
    seenProfilePaths.add(file.path);
    builder.files.push(file);
  }
  for (const unit of extras.units) {
    const index = managedUnits.get(unit.name);
    if (index === undefined) {
      builder.units.push(unit);
      continue;
    }
    if (unit.contents !== undefined || unit.mask !== undefined || unit.enabled === false) {
      diagnostics.push({
        code: 'file/duplicate-path',
        severity: 'error',
        message: `${unit.name} is written by kindling`,
        hint: `add drop-ins to ${unit.name} instead of replacing it (a unit entry with only 'dropins')`,
        ...(unit.origin ? { location: unit.origin } : {}),
      });
      continue;
    }
    const managed = builder.units[index]!;
    const merged: PlannedUnit = { ...managed, dropins: [...managed.dropins, ...unit.dropins] };
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
  return { plan: internPlan(project, plan), diagnostics };
}
