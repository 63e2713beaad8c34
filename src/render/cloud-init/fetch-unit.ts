/**
 * cloud-init cannot fetch-and-verify a file (22.4 has no `write_files.source`, and newer ones have
 * no hash), and runcmd ignores failures. So remote files become a generated script run by a
 * oneshot unit: it retries, checks every sha512 and fails loudly; each unit that needs one of the
 * files requires that unit through a drop-in.
 */
import type { Download } from '../../resolve/project-model.ts';
import type { NodePlan, PlannedFile, PlannedUnit, TemplateRenderer } from '../../plan/node-plan.ts';

export const FETCH = {
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
export function planFetch(plan: NodePlan, render: TemplateRenderer): FetchPlan {
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
  const units = plan.units.map((unit) =>
    unit.needs.some((p) => remotePaths.has(p))
      ? { ...unit, dropins: [...unit.dropins, { name: FETCH.dropin, contents: `[Unit]\nRequires=${FETCH.unit}\nAfter=${FETCH.unit}\n` }] }
      : unit,
  );
  units.unshift({
    name: FETCH.unit,
    enabled: true,
    contents: render('kindling-fetch.service', { count: downloads.length, script: FETCH.script }),
    dropins: [],
    needs: [FETCH.script],
    source: 'flannel',
  });
  return { files: [...local, script], units };
}
