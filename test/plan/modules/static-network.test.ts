import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/build/load-project.ts';
import { planNode } from '../../../src/plan/plan-node.ts';
import { BuildContext } from '../../../src/build/build-context.ts';
import type { NodePlan } from '../../../src/plan/node-plan.ts';
import { exampleProject, replaceOnce } from '../../helpers/project.ts';

const N = 'nodes/nodes.yaml';

/** worker-1 (fcos) and cp-1 (flatcar) with static addresses; cp-1 matched by MAC. */
const STATIC = {
  [N]: (text: string) =>
    replaceOnce(
      'ip: 10.0.0.21\n',
      'ip: 10.0.0.21\nnetwork:\n  addresses: [10.0.0.21/24, fd00::21/64]\n  gateway: 10.0.0.1\n  gateway6: fd00::1\n  nameservers: [10.0.0.1, fd00::1]\n  search: [lab.example]\n',
    )(
      replaceOnce('ip: 10.0.0.11\n', 'ip: 10.0.0.11\nnetwork:\n  mac: 52:54:00:00:00:11\n  name: ens3\n  addresses: [10.0.0.11/24]\n  gateway: 10.0.0.1\n  nameservers: [10.0.0.1]\n')(text),
    ),
};

function plans(edits: Record<string, string | ((text: string) => string)>): { byName: Record<string, NodePlan>; errors: string[] } {
  const loaded = loadProject(exampleProject(edits), { env: {} });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.location?.file.split('/').slice(-2).join('/')}:${d.location?.line}:${d.location?.column} ${d.message}`);
  const byName: Record<string, NodePlan> = {};
  const context = new BuildContext();
  for (const node of loaded.project?.nodes ?? []) {
    const planned = planNode(loaded.project!, node, context);
    errors.push(...planned.diagnostics.map((d) => `${d.code} ${d.location?.file.split('/').slice(-2).join('/')}:${d.location?.line}:${d.location?.column} ${d.message} | ${d.hint}`));
    if (planned.plan) byName[node.name] = planned.plan;
  }
  return { byName, errors };
}

const staticFiles = (plan: NodePlan) => plan.files.filter((f) => f.source === 'static-network').map((f) => ({ path: f.path, mode: f.mode.toString(8), owner: `${f.owner}:${f.group}`, text: f.contents.kind === 'inline' ? f.contents.text : '?' }));

describe('the static-network module', () => {
  const { byName, errors } = plans(STATIC);

  it('gives an fcos node a root-owned 0600 NetworkManager keyfile for its interface', () => {
    expect(errors).toEqual([]);
    expect(staticFiles(byName['worker-1']!)).toEqual([
      {
        path: '/etc/NetworkManager/system-connections/ens3.nmconnection',
        mode: '600',
        owner: 'root:root',
        text: [
          '# Static addressing of ens3 (kindling)',
          '[connection]',
          'id=ens3',
          'type=ethernet',
          'interface-name=ens3',
          '',
          '[ipv4]',
          'method=manual',
          'address1=10.0.0.21/24',
          'gateway=10.0.0.1',
          'dns=10.0.0.1;',
          'dns-search=lab.example;',
          '',
          '[ipv6]',
          'method=manual',
          'address1=fd00::21/64',
          'gateway=fd00::1',
          'dns=fd00::1;',
          '',
        ].join('\n'),
      },
    ]);
  });

  it('gives a flatcar node matched by MAC a networkd .network file and a .link file naming the NIC', () => {
    expect(staticFiles(byName['cp-1']!)).toEqual([
      {
        path: '/etc/systemd/network/10-ens3.network',
        mode: '644',
        owner: 'root:root',
        text: '# Static addressing of ens3 (kindling)\n[Match]\nMACAddress=52:54:00:00:00:11\nType=ether\n\n[Network]\nAddress=10.0.0.11/24\nGateway=10.0.0.1\nDNS=10.0.0.1\n',
      },
      {
        path: '/etc/systemd/network/10-ens3.link',
        mode: '644',
        owner: 'root:root',
        text: '# Name the NIC with MAC 52:54:00:00:00:11 ens3 (kindling)\n[Match]\nMACAddress=52:54:00:00:00:11\nType=ether\n\n[Link]\nName=ens3\n',
      },
    ]);
  });

  it('writes no static-network file for DHCP nodes, nor for cloud-init nodes (they get network-config)', () => {
    const cloudInit = plans({ [N]: replaceOnce('ip: 10.0.0.22\n', 'ip: 10.0.0.22\nnetwork:\n  addresses: [10.0.0.22/24]\n') });
    expect(cloudInit.errors).toEqual([]);
    expect(staticFiles(cloudInit.byName['worker-2']!)).toEqual([]);
    expect(staticFiles(cloudInit.byName['cp-1']!)).toEqual([]);
  });

  it('gives each node of a plan group its own addresses', () => {
    const two = plans({
      [N]: (text) =>
        `${text}---\napiVersion: kindling/v1\nkind: Node\nname: worker-3\nrole: worker\nos: fcos\ninterface: ens3\nip: 10.0.0.23\nnetwork:\n  addresses: [10.0.0.23/24]\n---\napiVersion: kindling/v1\nkind: Node\nname: worker-4\nrole: worker\nos: fcos\ninterface: ens3\nip: 10.0.0.24\nnetwork:\n  addresses: [10.0.0.24/24]\n`,
    });
    expect(two.errors).toEqual([]);
    expect(staticFiles(two.byName['worker-3']!)[0]!.text).toContain('address1=10.0.0.23/24\n');
    expect(staticFiles(two.byName['worker-4']!)[0]!.text).toContain('address1=10.0.0.24/24\n');
    // worker-1 has no network: it must not get one from the group it would otherwise share.
    expect(staticFiles(two.byName['worker-1']!)).toEqual([]);
  });

  it("refuses a profile file at the keyfile's path, naming the node's network: settings as what writes it", () => {
    const clash = plans({
      ...STATIC,
      'roles/worker.yaml': replaceOnce('path: /etc/kindling/role', 'path: /etc/NetworkManager/system-connections/ens3.nmconnection'),
    });
    // worker-1 (static, fcos) clashes; worker-2 (cloud-init, DHCP) takes the role's file as it is.
    expect(clash.errors).toEqual([
      "file/duplicate-path roles/worker.yaml:6:5 /etc/NetworkManager/system-connections/ens3.nmconnection is written by kindling (the static addressing of the node's `network:` settings on fcos nodes) | set the addressing under `network:` (addresses, gateway, gateway6, nameservers, search) instead of writing this file, or choose another path",
    ]);
  });
});
