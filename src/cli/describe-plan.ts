/** `kindling plan` output: a node's plan as people read it, and as JSON. Secret contents never appear. */
import type { NodePlan, PlannedFile } from '../plan/node-plan.ts';

function mode(m: number): string {
  return m.toString(8).padStart(4, '0');
}

function describeContents(file: PlannedFile): string {
  if (file.secret) return '<secret>';
  const c = file.contents;
  if (c.kind === 'remote') return `← ${c.download.url} ${c.download.sha512 ? `(sha512 ${c.download.sha512.slice(0, 16)}…)` : '(UNPINNED)'}`;
  const size = c.kind === 'inline' ? Buffer.byteLength(c.text) : c.data.byteLength;
  return `(${size} bytes)`;
}

export function describePlan(plan: NodePlan): string {
  const { node } = plan;
  const lines = [`node ${node.name}: ${node.os}, ${node.arch}${node.role ? `, role ${node.role}` : ''}, platform ${node.platform}`, ''];
  lines.push('directories:');
  for (const d of plan.directories) lines.push(`  ${mode(d.mode)}  ${d.path}  [${d.source}]`);
  lines.push('', 'files:');
  for (const f of plan.files) lines.push(`  ${mode(f.mode)} ${f.owner}:${f.group}  ${f.path}  ${describeContents(f)}  [${f.source}]`);
  lines.push('', 'units:');
  for (const u of plan.units) {
    const state = u.mask ? 'masked' : u.enabled ? 'enabled' : u.enabled === false ? 'disabled' : '';
    lines.push(`  ${u.name}  ${state}${u.dropins.length ? `  drop-ins: ${u.dropins.map((d) => d.name).join(', ')}` : ''}  [${u.source}]`);
  }
  if (plan.users.length) {
    lines.push('', 'users:');
    for (const u of plan.users) lines.push(`  ${u.name}  ${u.sshAuthorizedKeys.length} ssh key(s)${u.groups.length ? `  groups: ${u.groups.join(', ')}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

export function planJson(plan: NodePlan): object {
  return {
    node: { name: plan.node.name, os: plan.node.os, arch: plan.node.arch, role: plan.node.role ?? null, platform: plan.node.platform },
    binDir: plan.binDir,
    directories: plan.directories.map((d) => ({ ...d, mode: mode(d.mode) })),
    files: plan.files.map((f) => ({
      path: f.path,
      mode: mode(f.mode),
      owner: f.owner,
      group: f.group,
      source: f.source,
      contents: f.secret
        ? '<secret>'
        : f.contents.kind === 'remote'
          ? { url: f.contents.download.url, sha512: f.contents.download.sha512 ?? null }
          : f.contents.kind === 'inline'
            ? { text: f.contents.text }
            : { base64: Buffer.from(f.contents.data).toString('base64') },
    })),
    units: plan.units.map((u) => ({ name: u.name, enabled: u.enabled ?? null, mask: u.mask ?? false, contents: u.contents ?? null, dropins: u.dropins, source: u.source })),
    users: plan.users,
  };
}
