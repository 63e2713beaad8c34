/** Meaning checks across nodes: names, roles, addresses and MACs unique and well-formed. */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { ClusterDoc, NodeDoc, RoleDoc } from './profile-types.ts';
import { reporterFor } from './check-settings.ts';
import { where, type Located } from './located.ts';
import { HOSTNAME_MAX, nodeNameProblem } from './names.ts';
import { canonicalAddress, ipFamily, normaliseMac } from './net.ts';
import { closestMatch } from './closest-match.ts';

export function checkNodes(
  cluster: Located<ClusterDoc>,
  roles: ReadonlyMap<string, Located<RoleDoc>>,
  nodes: readonly Located<NodeDoc>[],
  diagnostics: Diagnostic[],
  /** Roles whose absence is already explained by an earlier error (a rejected role, an unreadable file). */
  known: { readonly unknownRolesReported: boolean; readonly rejectedRoles: ReadonlySet<string> } = { unknownRolesReported: false, rejectedRoles: new Set() },
): void {
  const names = new Map<string, Located<NodeDoc>>();
  const ips = new Map<string, { node: Located<NodeDoc>; path: (string | number)[] }>();
  const macs = new Map<string, { node: Located<NodeDoc>; index: number }>();
  const uuids = new Map<string, Located<NodeDoc>>();
  const serials = new Map<string, Located<NodeDoc>>();

  for (const node of nodes) {
    const report = reporterFor(node.doc, diagnostics);
    const n = node.value;
    const nameProblem = nodeNameProblem(n.name);
    if (nameProblem) {
      report(
        {
          code: 'node/invalid-name',
          severity: 'error',
          message: `node name '${n.name}' ${nameProblem}`,
          hint: nodeNameHint(n.name),
        },
        ['name'],
      );
    }
    const previous = names.get(n.name);
    if (previous) {
      report({ code: 'node/duplicate-name', severity: 'error', message: `node '${n.name}' is defined twice`, hint: `the other definition is at ${where(previous.doc, ['name'])}` }, ['name']);
    } else {
      names.set(n.name, node);
    }

    if (n.role !== undefined && !roles.has(n.role) && !known.unknownRolesReported && !known.rejectedRoles.has(n.role)) {
      const suggestion = closestMatch(n.role, [...roles.keys()]);
      report(
        {
          code: 'profile/unknown-role',
          severity: 'error',
          message: `node '${n.name}' names role '${n.role}', which is not defined`,
          hint: suggestion ? `did you mean '${suggestion}'?` : roles.size ? `defined roles: ${[...roles.keys()].sort().join(', ')}` : 'add a document with `kind: Role`',
        },
        ['role'],
      );
    }

    for (const [key, family] of [['ip', 4], ['ipv6', 6]] as const) {
      const ip = n[key];
      if (ip === undefined) continue;
      const actual = ipFamily(ip);
      if (actual !== family) {
        report(
          {
            code: actual ? 'net/wrong-family' : 'node/invalid-ip',
            severity: 'error',
            message: actual ? `'${ip}' is an IPv${actual} address; '${key}' takes IPv${family}` : `'${ip}' is not a valid IPv${family} address`,
            hint: family === 4 ? 'write four decimal numbers without leading zeros, e.g. 10.0.0.21' : 'e.g. fd00::21',
          },
          [key],
        );
        continue;
      }
      // fd00:0::21 and fd00::21 are one address.
      const canonical = canonicalAddress(ip)!;
      const other = ips.get(canonical);
      if (other) {
        report({ code: 'node/duplicate-ip', severity: 'error', message: `IP ${ip} is also used by node '${other.node.value.name}'`, hint: `see ${where(other.node.doc, other.path)}` }, [key]);
      } else {
        ips.set(canonical, { node, path: [key] });
      }
    }

    n.macs?.forEach((mac, index) => {
      const normalised = normaliseMac(mac);
      if (!normalised) {
        report({ code: 'node/invalid-mac', severity: 'error', message: `'${mac}' is not a MAC address`, hint: 'write six hex pairs separated by colons, e.g. 52:54:00:12:34:56' }, ['macs', index]);
        return;
      }
      const other = macs.get(normalised);
      if (other) {
        const same = other.node === node;
        report(
          {
            code: 'node/duplicate-mac',
            severity: 'error',
            message: same ? `MAC ${normalised} is listed twice for node '${n.name}'` : `MAC ${normalised} is also listed for node '${other.node.value.name}'`,
            hint: `see ${where(other.node.doc, ['macs', other.index])}`,
          },
          ['macs', index],
        );
      } else {
        macs.set(normalised, { node, index });
      }
    });

    // SMBIOS selectors name one machine each: boot.ipxe would chain two nodes' scripts to the same file.
    for (const [key, seen, code] of [['uuid', uuids, 'node/duplicate-uuid'], ['serial', serials, 'node/duplicate-serial']] as const) {
      const value = n[key]?.toLowerCase();
      if (value === undefined) continue;
      const other = seen.get(value);
      if (other) {
        report({ code, severity: 'error', message: `${key === 'uuid' ? 'SMBIOS UUID' : 'serial number'} ${n[key]} is also given for node '${other.value.name}'`, hint: `see ${where(other.doc, [key])}` }, [key]);
      } else {
        seen.set(value, node);
      }
    }

    const arch = n.arch ?? (n.role ? roles.get(n.role)?.value.arch : undefined) ?? cluster.value.defaults?.arch ?? 'amd64';
    if (cluster.value.flannel.backend.type === 'udp' && arch !== 'amd64') {
      report(
        { code: 'flannel/backend-arch', severity: 'error', message: `node '${n.name}' is ${arch}, but flannel's udp backend exists only on amd64`, hint: 'use the vxlan backend' },
        n.arch !== undefined ? ['arch'] : ['name'],
      );
    }
  }
}

/** A hint whose suggested name is itself valid (FC_1 → fc-1, not fc_1), or a plain example. */
function nodeNameHint(name: string): string {
  if (name.length > HOSTNAME_MAX) {
    const label = name.split('.')[0]!;
    if (!nodeNameProblem(label)) return `use the hostname the machine registers under, e.g. its first label '${label}'`;
  }
  const repaired = name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  if (repaired !== '' && repaired !== name && !nodeNameProblem(repaired)) {
    return name !== name.toLowerCase() ? `use '${repaired}', the lower-case name kubelet registers` : `use '${repaired}'`;
  }
  return 'use the Kubernetes Node name: lower-case letters, digits, - and ., e.g. worker-1';
}
