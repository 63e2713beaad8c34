/**
 * What kindling itself writes on a node, on any OS: its files, folders, unit files and drop-ins,
 * and the folders all of them lie in. A profile entry may take none of them: a profile unit that
 * replaced kindling-fetch.service (or a drop-in on cni-plugins-install.service) would switch off
 * the sha512 checks, and a file at /usr/local/bin would leave flanneld nowhere to go. Only
 * flanneld.service takes profile drop-ins, the supported way to adjust it.
 *
 * The set is what kindling's modules write for a node of each OS, with the cloud-init target's
 * fetch step (plan/cloud-init-fetch.ts) applied on top, so it follows them as they change.
 * It is their union: a role means the same on every target, so what is reserved on one is refused
 * on all, at the role's line, once.
 */
import type { OsName } from '../validate/profile-types.ts';
import type { NodePlan, PlannedUnit, TemplateRenderer } from './node-plan.ts';
import { planFetch } from './cloud-init-fetch.ts';
import type { BuildContext } from '../build/build-context.ts';

/** Where systemd units and their drop-in folders live, on every target. */
const UNIT_FOLDER = '/etc/systemd/system';

const OSES: readonly OsName[] = ['flatcar', 'fcos', 'cloud-init'];

/** What writes a node's static-network files: its own settings, which is where a fix belongs. */
const STATIC_NETWORK = "the static addressing of the node's `network:` settings";

interface ReservedPath {
  readonly kind: 'file' | 'folder';
  /** What writes it, for messages: "the cni module", "unit flanneld.service". */
  readonly what: string;
  readonly oses: Set<OsName>;
}

interface ReservedUnit {
  readonly profileDropins: boolean;
  readonly dropins: Set<string>;
  readonly oses: Set<OsName>;
}

export interface ReservedEntries {
  readonly paths: ReadonlyMap<string, ReservedPath>;
  /** Every folder something of kindling's lies in, up to `/`. */
  readonly containing: ReadonlySet<string>;
  readonly units: ReadonlyMap<string, ReservedUnit>;
}

export interface EntryProblem {
  readonly code: 'file/duplicate-path' | 'file/reserved-path';
  readonly message: string;
  readonly hint: string;
}

/** The reserved entries, from the plan kindling's modules make for this node as each OS. */
export function reservedEntries(kindlingPlan: (os: OsName) => NodePlan, render: TemplateRenderer, context: BuildContext): ReservedEntries {
  const paths = new Map<string, ReservedPath>();
  const units = new Map<string, ReservedUnit>();
  const add = (path: string, kind: ReservedPath['kind'], what: string, os: OsName): void => {
    const known = paths.get(path);
    if (known) known.oses.add(os);
    else paths.set(path, { kind, what, oses: new Set([os]) });
  };
  for (const os of OSES) {
    const plan = kindlingPlan(os);
    // The cloud-init target replaces remote files with its fetch unit, script and drop-ins.
    const written = os === 'cloud-init' ? planFetch(plan, render, context) : { files: plan.files, units: plan.units };
    for (const file of written.files) add(file.path, 'file', file.source === 'static-network' ? STATIC_NETWORK : `the ${file.source} module`, os);
    for (const link of plan.links) add(link.path, 'file', `the ${link.source} module`, os);
    for (const directory of plan.directories) add(directory.path, 'folder', `the ${directory.source} module`, os);
    for (const unit of written.units) addUnit(units, unit, os, add);
  }
  const containing = new Set<string>();
  for (const path of paths.keys()) {
    for (let folder = parentOf(path); folder !== undefined; folder = parentOf(folder)) containing.add(folder);
  }
  return { paths, containing, units };
}

function addUnit(units: Map<string, ReservedUnit>, unit: PlannedUnit, os: OsName, add: (path: string, kind: ReservedPath['kind'], what: string, os: OsName) => void): void {
  add(`${UNIT_FOLDER}/${unit.name}`, 'file', `unit ${unit.name}`, os);
  let known = units.get(unit.name);
  if (!known) units.set(unit.name, (known = { profileDropins: unit.profileDropins === true, dropins: new Set(), oses: new Set() }));
  known.oses.add(os);
  for (const dropin of unit.dropins) {
    known.dropins.add(dropin.name);
    add(`${UNIT_FOLDER}/${unit.name}.d/${dropin.name}`, 'file', `a drop-in of ${unit.name}`, os);
  }
}

/** Why a profile file may not be at `path`, or undefined. */
export function reservedPathProblem(path: string, reserved: ReservedEntries): EntryProblem | undefined {
  const own = reserved.paths.get(path);
  if (own) {
    return {
      code: 'file/duplicate-path',
      message: `${path} is written by kindling (${own.what}${onOses(own.oses)})`,
      hint: own.what === STATIC_NETWORK
        ? 'set the addressing under `network:` (addresses, gateway, gateway6, nameservers, search) instead of writing this file, or choose another path'
        : 'choose another path, or adjust the managed file through the profile settings that produce it',
    };
  }
  if (reserved.containing.has(path)) {
    return { code: 'file/reserved-path', message: `kindling writes into the folder ${path}, so a profile file cannot take its place`, hint: 'choose a path inside the folder, or elsewhere' };
  }
  for (let folder = parentOf(path); folder !== undefined; folder = parentOf(folder)) {
    const file = reserved.paths.get(folder);
    if (file?.kind === 'file') {
      return { code: 'file/reserved-path', message: `${folder} is a file kindling writes (${file.what}${onOses(file.oses)}), so ${path} cannot lie below it`, hint: 'choose another path' };
    }
  }
  return undefined;
}

/** Why a profile unit may not be given as it is, or undefined. */
export function reservedUnitProblem(unit: Pick<PlannedUnit, 'name' | 'contents' | 'mask' | 'enabled' | 'dropins'>, reserved: ReservedEntries): EntryProblem | undefined {
  const own = reserved.units.get(unit.name);
  if (!own) return undefined;
  const replaces = unit.contents !== undefined || unit.mask !== undefined || unit.enabled === false;
  if (replaces || !own.profileDropins) {
    return {
      code: 'file/duplicate-path',
      message: `${unit.name} is written by kindling${onOses(own.oses)}`,
      hint: own.profileDropins ? `add drop-ins to ${unit.name} instead of replacing it (a unit entry with only 'dropins')` : `kindling relies on ${unit.name} as it writes it; give your unit another name`,
    };
  }
  const clash = unit.dropins.find((d) => own.dropins.has(d.name));
  if (clash) {
    return { code: 'file/duplicate-path', message: `the drop-in ${clash.name} of ${unit.name} is written by kindling`, hint: 'give your drop-in another name' };
  }
  return undefined;
}

function onOses(oses: ReadonlySet<OsName>): string {
  return oses.size === OSES.length ? '' : ` on ${[...oses].join(' and ')} nodes`;
}

/** The folder a clean absolute path lies in; undefined for `/`. */
function parentOf(path: string): string | undefined {
  if (path === '/') return undefined;
  const at = path.lastIndexOf('/');
  return at === 0 ? '/' : path.slice(0, at);
}
