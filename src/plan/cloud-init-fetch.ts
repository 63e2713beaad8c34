/**
 * The cloud-init target's fetch step, planned before rendering: render/cloud-init applies it, and
 * the reserved entries (reserved-entries.ts) include what it adds. cloud-init cannot
 * fetch-and-verify a file (22.4 has no `write_files.source`, and newer ones have no hash), and
 * runcmd ignores failures. So remote files become a generated script run by a oneshot unit: it
 * retries, checks every sha512 and fails loudly; each unit that needs one of the files requires
 * that unit through a drop-in.
 */
import type { Download } from '../resolve/project-model.ts';
import type { NodePlan, PlannedFile, PlannedUnit, TemplateRenderer } from './node-plan.ts';
import { perEntry } from './intern.ts';
import { contextTable, type BuildContext } from '../build/build-context.ts';

const FETCH = {
  unit: 'kindling-fetch.service',
  script: '/usr/local/lib/kindling/fetch-artifacts.sh',
  dropin: '10-kindling-fetch.conf',
} as const;

export interface FetchPlan {
  /** Files to write (the script), replacing the remote files. */
  readonly files: PlannedFile[];
  readonly units: PlannedUnit[];
}

/** Rewrites a plan's remote files into the fetch script + unit, and wires the units that need them. */
export function planFetch(plan: NodePlan, render: TemplateRenderer, context: BuildContext): FetchPlan {
  const remote = plan.files.filter((f): f is PlannedFile & { contents: { kind: 'remote'; download: Download } } => f.contents.kind === 'remote');
  const local = plan.files.filter((f) => f.contents.kind !== 'remote');
  if (remote.length === 0) return { files: [...local], units: [...plan.units] };
  const remotePaths = new Set(remote.map((f) => f.path));
  const downloads = remote.map((f) => ({ url: f.contents.download.url, sha512: f.contents.download.sha512 ?? '', path: f.path, mode: f.mode }));
  const script: PlannedFile = {
    path: FETCH.script,
    mode: 0o755,
    owner: 'root',
    group: 'root',
    contents: { kind: 'inline', text: render('kindling-fetch.sh', { downloads }) },
    source: 'flannel',
  };
  const units = plan.units.map((unit) => (unit.needs.some((p) => remotePaths.has(p)) ? withFetchDropin(context, unit) : unit));
  units.unshift(fetchUnit(context, render, downloads.length));
  return { files: [...local, shared(context.table(SCRIPTS), script.contents.kind === 'inline' ? script.contents.text : '', () => script)], units };
}

// The derived entries are the same for every node with the same inputs; sharing them lets the
// renderer cache their YAML per object (see plan/intern.ts).
const WITH_DROPIN = contextTable('units with the fetch drop-in', () => new WeakMap<PlannedUnit, PlannedUnit>());
const SCRIPTS = contextTable('fetch scripts', () => new Map<string, PlannedFile>());
const FETCH_UNITS = contextTable('fetch units', () => new Map<string, PlannedUnit>());

function shared<T>(table: Map<string, T>, key: string, make: () => T): T {
  let value = table.get(key);
  if (value === undefined) {
    if (table.size > 1000) table.clear();
    table.set(key, (value = make()));
  }
  return value;
}

function withFetchDropin(context: BuildContext, unit: PlannedUnit): PlannedUnit {
  return perEntry(context.table(WITH_DROPIN), unit, () => ({ ...unit, dropins: [...unit.dropins, { name: FETCH.dropin, contents: `[Unit]\nRequires=${FETCH.unit}\nAfter=${FETCH.unit}\n` }] }));
}

function fetchUnit(context: BuildContext, render: TemplateRenderer, count: number): PlannedUnit {
  const contents = render('kindling-fetch.service', { count, script: FETCH.script });
  return shared(context.table(FETCH_UNITS), contents, () => ({ name: FETCH.unit, enabled: true, contents, dropins: [], needs: [FETCH.script], source: 'flannel' }));
}
