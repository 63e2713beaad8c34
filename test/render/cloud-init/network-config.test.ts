import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { renderNetworkConfig } from '../../../src/render/cloud-init/network-config.ts';
import type { ResolvedNetwork } from '../../../src/resolve/project-model.ts';

/** cloud-init 22.4's own parser and renderers (Debian's package), as the node would run them. */
function cloudInitRenders(yamlText: string): { parsed: unknown; networkd: Record<string, string>; eni: string } {
  const python = [
    'import json, sys, yaml',
    'from cloudinit.net import network_state, networkd, eni',
    'cfg = yaml.safe_load(sys.stdin.read())',
    'ns = network_state.parse_net_config_data(cfg, skip_broken=False)',
    'print(json.dumps({"parsed": cfg, "networkd": networkd.Renderer()._render_content(ns), "eni": eni.Renderer()._render_interfaces(ns)}))',
  ].join('\n');
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', python], { input: yamlText, encoding: 'utf8' }));
}

const NETWORK: ResolvedNetwork = { name: 'ens3', mac: '52:54:00:00:00:22', addresses: ['10.0.0.22/24', 'fd00::22/64'], gateway: '10.0.0.1', gateway6: 'fd00::1', nameservers: ['10.0.0.1', 'fd00::1'], search: ['lab.example'] };

describe('renderNetworkConfig', () => {
  it('writes nothing for a node without static addresses', () => {
    expect(renderNetworkConfig({})).toBeUndefined();
  });

  it('writes v2 network-config that cloud-init 22.4 renders to networkd and ENI for the matched NIC', () => {
    const text = renderNetworkConfig({ network: NETWORK })!;
    const out = cloudInitRenders(text);
    // PyYAML (YAML 1.1) keeps the MAC a string: unquoted it would be a sexagesimal integer.
    expect(out.parsed).toEqual({
      version: 2,
      ethernets: {
        ens3: {
          match: { macaddress: '52:54:00:00:00:22' },
          'set-name': 'ens3',
          dhcp4: false,
          dhcp6: false,
          addresses: ['10.0.0.22/24', 'fd00::22/64'],
          routes: [{ to: '0.0.0.0/0', via: '10.0.0.1' }],
          gateway6: 'fd00::1',
          nameservers: { addresses: ['10.0.0.1', 'fd00::1'], search: ['lab.example'] },
        },
      },
    });
    const unit = out.networkd.ens3!;
    expect(unit).toContain('MACAddress=52:54:00:00:00:22');
    expect(unit).toContain('Name=ens3');
    expect(unit).toContain('Address=10.0.0.22/24');
    expect(unit).toContain('Address=fd00::22/64');
    // The IPv4 default route, from `routes`, and the IPv6 one, from gateway6: both default routes.
    expect(unit).toMatch(/\[Route\]\nDestination=0\.0\.0\.0\/0\n\nGateway=10\.0\.0\.1\n/);
    expect(unit).toMatch(/\[Route\]\nGateway=fd00::1\n/);
    expect(unit).not.toMatch(/Destination=::\/64/);
    expect(unit).toContain('DNS=10.0.0.1 fd00::1');
    expect(unit).toContain('Domains=lab.example');
    expect(out.eni).toMatch(/^iface ens3 inet static$/m);
    expect(out.eni).toMatch(/^\s+address 10\.0\.0\.22\/24$/m);
    expect(out.eni).toMatch(/^\s+post-up route add default gw 10\.0\.0\.1 \|\| true$/m);
    expect(out.eni).toMatch(/^iface ens3 inet6 static\n\s+address fd00::22\/64\n\s+gateway fd00::1$/m);
  });

  it('keeps the IPv6 default route on gateway6, since cloud-init 22.4 turns a `to: ::/0` route into ::/64', () => {
    // The reason renderNetworkConfig does not write an IPv6 `routes` entry, proven on 22.4 itself.
    const out = cloudInitRenders('version: 2\nethernets:\n  ens3:\n    addresses: [fd00::22/64]\n    routes: [{to: "::/0", via: "fd00::1"}]\n');
    expect(out.networkd.ens3).toContain('Destination=::/64');
  });

  it('names the interface directly when no MAC is given', () => {
    const text = renderNetworkConfig({ network: { name: 'eth1', addresses: ['192.168.1.5/24'], nameservers: [], search: [] } })!;
    const out = cloudInitRenders(text);
    expect(out.parsed).toEqual({ version: 2, ethernets: { eth1: { dhcp4: false, addresses: ['192.168.1.5/24'] } } });
    expect(out.networkd.eth1).toContain('Name=eth1');
    expect(out.eni).toMatch(/^iface eth1 inet static$/m);
  });
});
