/**
 * Every class of bad input, one small edit of the example each, with the exact diagnostics it must
 * produce: code, file, line and column. The error list must match exactly (no extra errors).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadProject } from '../../src/build/load-project.ts';
import { compileProject } from '../../src/build/build-project.ts';
import { existsSync } from 'node:fs';
import { exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';
import { runCli } from '../helpers/cli.ts';

interface Case {
  readonly name: string;
  readonly edits: Record<string, string | ((text: string) => string)>;
  readonly errors: readonly { code: string; file: string; line: number; column: number }[];
  readonly env?: NodeJS.ProcessEnv;
}

const C = 'cluster.yaml';
const N = 'nodes/nodes.yaml';

const cases: Case[] = [
  { name: 'reports a YAML syntax error at its position', edits: { [N]: replaceOnce('name: cp-1', 'name: [cp-1') }, errors: [{ code: 'yaml/syntax', file: N, line: 6, column: 1 }] },
  { name: 'reports a YAML syntax error in the cluster file alone, without "no Cluster document found" after it', edits: { [C]: replaceOnce('name: lab', 'name: [lab') }, errors: [{ code: 'yaml/syntax', file: C, line: 9, column: 1 }] },
  { name: 'reports an invalid role once, without a "role not defined" error for each node that names it', edits: { 'roles/worker.yaml': replaceOnce('kind: Role\n', 'kind: Role\nbogus: 1\n') }, errors: [{ code: 'schema/unknown-key', file: 'roles/worker.yaml', line: 4, column: 1 }] },
  { name: 'reports no undefined role while a file that may define it does not parse', edits: { 'roles/worker.yaml': replaceOnce('name: worker', 'name: [worker') }, errors: [{ code: 'yaml/syntax', file: 'roles/worker.yaml', line: 5, column: 1 }] },
  { name: 'rejects an SSH key that is a path to the key file', edits: { [C]: replaceOnce('- ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeExampleKeyFakeExampleKeyFakeExample00 ops@example', '- ~/.ssh/id_ed25519.pub') }, errors: [{ code: 'user/invalid-ssh-key', file: C, line: 42, column: 11 }] },
  { name: 'rejects an SSH key whose data does not start with its type (a truncated paste)', edits: { [C]: replaceOnce('AAAAC3NzaC1lZDI1NTE5AAAAIFakeExample', 'AAAAB3NzaC1yc2EAAAAIFakeExample') }, errors: [{ code: 'user/invalid-ssh-key', file: C, line: 42, column: 11 }] },
  { name: 'rejects a single-dash flanneld flag', edits: { 'roles/control-plane.yaml': replaceOnce('- --v=2', '- -v=2') }, errors: [{ code: 'flannel/invalid-flag', file: 'roles/control-plane.yaml', line: 7, column: 7 }] },
  { name: 'rejects Ignition 3.5.0 on a flatcar node, which no flatcar Butane version produces', edits: { [N]: replaceOnce('macs: [52:54:00:00:00:11]', 'macs: [52:54:00:00:00:11]\nignition: { version: 3.5.0 }') }, errors: [{ code: 'node/ignition-version', file: N, line: 10, column: 22 }] },
  { name: 'reports a duplicate key', edits: { [N]: replaceOnce('os: flatcar\n', 'os: flatcar\nos: fcos\n') }, errors: [{ code: 'yaml/duplicate-key', file: N, line: 8, column: 1 }] },
  { name: 'rejects an unquoted number with a leading zero that is not octal', edits: { [N]: replaceOnce('ip: 10.0.0.11', 'ip: 0089') }, errors: [{ code: 'yaml/ambiguous-number', file: N, line: 8, column: 5 }, { code: 'node/invalid-ip', file: N, line: 8, column: 5 }] },
  { name: 'reports an unknown key with a suggestion', edits: { [N]: replaceOnce('os: fcos', 'oss: fcos') }, errors: [{ code: 'schema/unknown-key', file: N, line: 15, column: 1 }] },
  { name: 'reports a value of the wrong type', edits: { [C]: replaceOnce('ipMasq: true', 'ipMasq: yes') }, errors: [{ code: 'schema/type', file: C, line: 37, column: 13 }] },
  { name: 'reports a value outside its choices', edits: { [N]: replaceOnce('os: fcos', 'os: windows') }, errors: [{ code: 'schema/enum', file: N, line: 15, column: 5 }] },
  { name: 'reports a missing required key', edits: { [C]: replaceOnce('  network: 10.244.0.0/16              # must equal kubernetes.clusterCIDR\n', '') }, errors: [{ code: 'schema/missing-key', file: C, line: 18, column: 3 }] },
  { name: 'rejects a CIDR that does not parse', edits: { [C]: replaceOnce('clusterCIDR: 10.244.0.0/16', 'clusterCIDR: 10.244.0.0/33') }, errors: [{ code: 'net/invalid-cidr', file: C, line: 11, column: 16 }] },
  { name: 'rejects a CIDR of the wrong family', edits: { [C]: replaceOnce('network: 10.244.0.0/16', 'network: fd00::/56') }, errors: [{ code: 'net/wrong-family', file: C, line: 19, column: 12 }] },
  { name: 'rejects a flannel network that differs from the cluster CIDR', edits: { [C]: replaceOnce('network: 10.244.0.0/16', 'network: 10.245.0.0/16') }, errors: [{ code: 'net/network-mismatch', file: C, line: 19, column: 12 }] },
  { name: 'rejects an upper-case node name', edits: { [N]: replaceOnce('name: cp-1', 'name: CP-1') }, errors: [{ code: 'node/invalid-name', file: N, line: 5, column: 7 }] },
  { name: 'rejects a node name that is not DNS-1123', edits: { [N]: replaceOnce('name: cp-1', 'name: cp_1') }, errors: [{ code: 'node/invalid-name', file: N, line: 5, column: 7 }] },
  { name: 'rejects a cluster name that is not a DNS-1123 label, so no line can be spliced into boot.ipxe or user-data', edits: { [C]: replaceOnce('name: lab', 'name: "lab\\n#!ipxe\\nshell"') }, errors: [{ code: 'cluster/invalid-name', file: C, line: 7, column: 7 }] },
  { name: 'rejects a cluster name that would step out of the output folder', edits: { [C]: replaceOnce('name: lab', 'name: ../lab') }, errors: [{ code: 'cluster/invalid-name', file: C, line: 7, column: 7 }] },
  { name: 'rejects an upper-case cluster name', edits: { [C]: replaceOnce('name: lab', 'name: Lab') }, errors: [{ code: 'cluster/invalid-name', file: C, line: 7, column: 7 }] },
  {
    name: 'rejects a role name with a line break, once at the role (the nodes naming it are not reported again)',
    edits: { 'roles/worker.yaml': replaceOnce('name: worker', 'name: "worker\\n# injected"'), [N]: (text) => text.replaceAll('role: worker', 'role: "worker\\n# injected"') },
    errors: [{ code: 'role/invalid-name', file: 'roles/worker.yaml', line: 4, column: 7 }],
  },
  { name: 'rejects two nodes with the same name', edits: { [N]: replaceOnce('name: worker-2', 'name: worker-1') }, errors: [{ code: 'node/duplicate-name', file: N, line: 22, column: 7 }] },
  { name: 'rejects two nodes with the same IP', edits: { [N]: replaceOnce('ip: 10.0.0.22', 'ip: 10.0.0.21') }, errors: [{ code: 'node/duplicate-ip', file: N, line: 26, column: 5 }] },
  { name: 'rejects an IP with leading zeros', edits: { [N]: replaceOnce('ip: 10.0.0.22', "ip: '10.0.0.022'") }, errors: [{ code: 'node/invalid-ip', file: N, line: 26, column: 5 }] },
  { name: 'rejects two nodes with the same MAC', edits: { [N]: replaceOnce('macs: [52:54:00:00:00:22]', 'macs: [52:54:00:00:00:21]') }, errors: [{ code: 'node/duplicate-mac', file: N, line: 27, column: 8 }] },
  { name: 'rejects two nodes with the same SMBIOS UUID, whatever its case', edits: { [N]: (t) => t.replace('macs: [52:54:00:00:00:21]', 'macs: [52:54:00:00:00:21]\nuuid: 4C4C4544-0042-3010-8052-B4C04F4B4E31').replace('macs: [52:54:00:00:00:22]', 'macs: [52:54:00:00:00:22]\nuuid: 4c4c4544-0042-3010-8052-b4c04f4b4e31') }, errors: [{ code: 'node/duplicate-uuid', file: N, line: 29, column: 7 }] },
  { name: 'rejects an SMBIOS UUID that is not in 8-4-4-4-12 form', edits: { [N]: replaceOnce('macs: [52:54:00:00:00:22]', 'macs: [52:54:00:00:00:22]\nuuid: 4c4c4544004230108052b4c04f4b4e31') }, errors: [{ code: 'schema/pattern', file: N, line: 28, column: 7 }] },
  { name: 'rejects a serial number that could reach a boot script as syntax', edits: { [N]: replaceOnce('macs: [52:54:00:00:00:22]', "macs: [52:54:00:00:00:22]\nserial: 'ABC ${uuid}'") }, errors: [{ code: 'schema/pattern', file: N, line: 28, column: 9 }] },
  { name: 'rejects two nodes with the same serial number', edits: { [N]: (t) => t.replace('macs: [52:54:00:00:00:21]', 'macs: [52:54:00:00:00:21]\nserial: SN-0042').replace('macs: [52:54:00:00:00:22]', 'macs: [52:54:00:00:00:22]\nserial: sn-0042') }, errors: [{ code: 'node/duplicate-serial', file: N, line: 29, column: 9 }] },
  { name: 'rejects an install disk that is not a /dev path', edits: { [C]: (t) => `${t}\ndelivery:\n  publishURL: http://10.0.0.1/lab/\n`, [N]: replaceOnce('macs: [52:54:00:00:00:22]', 'macs: [52:54:00:00:00:22]\ninstall: { disk: sda }') }, errors: [{ code: 'schema/pattern', file: N, line: 28, column: 18 }] },
  { name: 'rejects an install block whose layers name no disk', edits: { [C]: (t) => `${t}\ndelivery:\n  publishURL: http://10.0.0.1/lab/\n`, [N]: replaceOnce('macs: [52:54:00:00:00:11]', 'macs: [52:54:00:00:00:11]\ninstall: { flatcar: { channel: beta } }') }, errors: [{ code: 'install/no-disk', file: N, line: 10, column: 10 }] },
  { name: 'rejects installing to disk without a publishURL to fetch the config from', edits: { [N]: replaceOnce('macs: [52:54:00:00:00:11]', 'macs: [52:54:00:00:00:11]\ninstall: { disk: /dev/sda }') }, errors: [{ code: 'install/needs-publish-url', file: N, line: 10, column: 10 }] },
  { name: 'rejects a Flatcar image mirror URL that is not http(s)', edits: { [C]: (t) => `${t}\ndelivery:\n  publishURL: http://10.0.0.1/lab/\n`, [N]: replaceOnce('macs: [52:54:00:00:00:11]', 'macs: [52:54:00:00:00:11]\ninstall: { disk: /dev/sda, flatcar: { baseURL: ftp://mirror/flatcar } }') }, errors: [{ code: 'url/invalid', file: N, line: 10, column: 48 }] },
  { name: 'rejects a malformed MAC', edits: { [N]: replaceOnce('macs: [52:54:00:00:00:22]', 'macs: [52:54:00:00:22]') }, errors: [{ code: 'node/invalid-mac', file: N, line: 27, column: 8 }] },
  { name: 'rejects an interface name longer than 15 bytes', edits: { [N]: replaceOnce('interface: ens3\nip: 10.0.0.21', 'interface: enp0s31f6-very-long\nip: 10.0.0.21') }, errors: [{ code: 'node/invalid-interface', file: N, line: 16, column: 12 }] },
  { name: 'rejects an interface name with a slash', edits: { [C]: replaceOnce('interface: eth0', 'interface: eth/0') }, errors: [{ code: 'node/invalid-interface', file: C, line: 35, column: 14 }] },
  { name: 'rejects a backend option of another backend', edits: { [C]: replaceOnce('    vni: 1\n', '    vni: 1\n    mode: auto\n') }, errors: [{ code: 'flannel/backend-option', file: C, line: 23, column: 5 }] },
  { name: 'rejects an invalid wireguard mode', edits: { [C]: replaceOnce('    type: vxlan\n    vni: 1\n', '    type: wireguard\n    mode: tunnel\n') }, errors: [{ code: 'schema/enum', file: C, line: 22, column: 11 }] },
  { name: 'rejects the udp backend on arm64 nodes', edits: { [C]: replaceOnce('    type: vxlan\n    vni: 1\n', '    type: udp\n'), [N]: replaceOnce('os: fcos', 'os: fcos\narch: arm64') }, errors: [{ code: 'flannel/backend-arch', file: N, line: 16, column: 7 }] },
  { name: 'rejects a relative file path', edits: { 'roles/worker.yaml': replaceOnce('path: /etc/kindling/role', 'path: etc/kindling/role') }, errors: [{ code: 'file/invalid-path', file: 'roles/worker.yaml', line: 6, column: 11 }] },
  { name: 'rejects an unclean file path', edits: { 'roles/worker.yaml': replaceOnce('path: /etc/kindling/role', 'path: /etc/../kindling/role') }, errors: [{ code: 'file/invalid-path', file: 'roles/worker.yaml', line: 6, column: 11 }] },
  { name: 'rejects a mode out of range', edits: { 'roles/worker.yaml': replaceOnce('mode: 0644', 'mode: 017777') }, errors: [{ code: 'file/invalid-mode', file: 'roles/worker.yaml', line: 7, column: 11 }] },
  { name: 'rejects a plain-http API server', edits: { [C]: replaceOnce('apiServer: https://10.0.0.10:6443', 'apiServer: http://10.0.0.10:6443') }, errors: [{ code: 'url/insecure', file: C, line: 10, column: 14 }] },
  { name: 'rejects a plain-http mirror not marked as such', edits: { [C]: replaceOnce('  allowUnpinned: true\n', '  allowUnpinned: true\n  mirror: { url: http://127.0.0.1:8080 }\n') }, errors: [{ code: 'url/insecure', file: C, line: 31, column: 18 }] },
  { name: 'rejects a URL that would break a script', edits: { [C]: replaceOnce('  allowUnpinned: true\n', "  allowUnpinned: true\n  mirror: { url: 'https://mirror.example/a b' }\n") }, errors: [{ code: 'url/unsafe', file: C, line: 31, column: 18 }] },
  { name: 'rejects a node naming an unknown role', edits: { [N]: replaceOnce('role: control-plane', 'role: controlplane') }, errors: [{ code: 'profile/unknown-role', file: N, line: 6, column: 7 }] },
  { name: 'rejects an extra flag kindling manages', edits: { 'roles/control-plane.yaml': replaceOnce('- --v=2', '- --iface=eth1') }, errors: [{ code: 'flannel/invalid-flag', file: 'roles/control-plane.yaml', line: 7, column: 7 }] },
  { name: 'rejects an extra flag written with a separate value', edits: { 'roles/control-plane.yaml': replaceOnce('- --v=2', "- '--v 2'") }, errors: [{ code: 'flannel/invalid-flag', file: 'roles/control-plane.yaml', line: 7, column: 7 }] },
  { name: 'rejects an invalid unit name', edits: { 'roles/worker.yaml': replaceOnce('name: kindling-motd.service', 'name: kindling-motd') }, errors: [{ code: 'unit/invalid-name', file: 'roles/worker.yaml', line: 12, column: 11 }] },
  { name: 'rejects a profile file that collides with a kindling file', edits: { 'roles/worker.yaml': replaceOnce('path: /etc/kindling/role', 'path: /etc/kube-flannel/net-conf.json') }, errors: [{ code: 'file/duplicate-path', file: 'roles/worker.yaml', line: 6, column: 5 }] },
  { name: 'reports a missing token file', edits: { [C]: replaceOnce('secrets/flannel.token', 'secrets/missing.token') }, errors: [{ code: 'secret/missing', file: C, line: 14, column: 20 }] },
  { name: 'reports an unset token environment variable', edits: { [C]: replaceOnce('token: { file: secrets/flannel.token }', 'token: { env: KINDLING_TEST_UNSET_TOKEN }') }, errors: [{ code: 'secret/missing', file: C, line: 14, column: 19 }] },
  { name: 'rejects a token with whitespace inside', edits: { 'secrets/flannel.token': 'two words\n' }, errors: [{ code: 'secret/invalid-token', file: C, line: 14, column: 12 }] },
  { name: 'rejects a CA file that is not a certificate', edits: { 'secrets/ca.crt': 'not a certificate\n' }, errors: [{ code: 'secret/invalid-ca', file: C, line: 15, column: 9 }] },
  { name: 'rejects an unpinned download unless the profile allows it', edits: { [C]: replaceOnce('  allowUnpinned: true\n', '  allowUnpinned: false\n') }, errors: [
    { code: 'artifact/unpinned', file: C, line: 18, column: 12 },
    { code: 'artifact/unpinned', file: C, line: 23, column: 25 },
    { code: 'artifact/unpinned', file: C, line: 24, column: 26 },
  ] },
  { name: 'rejects a flannel version the catalog does not know', edits: { [C]: replaceOnce('version: v0.28.9', 'version: v0.1.0') }, errors: [{ code: 'artifact/unknown-version', file: C, line: 18, column: 12 }] },
  { name: 'rejects a second Cluster document', edits: { 'other.yaml': 'apiVersion: kindling/v1\nkind: Cluster\nname: two\nkubernetes: {apiServer: "https://a", clusterCIDR: 10.0.0.0/8, credentials: {ca: {file: x}}}\nflannel: {version: v0.28.9, network: 10.0.0.0/8, backend: {type: vxlan}}\n' }, errors: [{ code: 'profile/duplicate-cluster', file: 'other.yaml', line: 2, column: 7 }] },
  { name: 'reports a document that is not a mapping', edits: { 'stray.yaml': '- just\n- a list\n' }, errors: [{ code: 'yaml/not-a-mapping', file: 'stray.yaml', line: 1, column: 1 }] },
];

describe('bad input', () => {
  for (const c of cases) {
    it(c.name, () => {
      const dir = exampleProject(c.edits);
      const loaded = loadProject(dir, { env: c.env ?? {} });
      // Some problems (collisions with kindling's own files) only show when nodes are planned.
      const diagnostics = [...loaded.diagnostics, ...(loaded.project ? compileProject(loaded.project).diagnostics : [])];
      const errors = diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => ({ code: d.code, file: d.location?.file, line: d.location?.line, column: d.location?.column }));
      expect(errors).toEqual(c.errors.map((e) => ({ ...e, file: expect.stringMatching(new RegExp(`${escape(join('profiles', e.file))}$`)) })));
      for (const d of diagnostics) {
        expect(d.message.length).toBeGreaterThan(10);
        expect(d.message).not.toContain('FAKE-example-token');
      }
    });
  }
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('hints that point at the fix', () => {
  const only = (edits: Record<string, string | ((text: string) => string)>) => {
    const diagnostics = loadProject(exampleProject(edits), { env: {} }).diagnostics.filter((d) => d.severity === 'error');
    expect(diagnostics).toHaveLength(1);
    return diagnostics[0]!;
  };

  it('suggests the schema key a misspelt required key was meant to be, and does not also call that key missing', () => {
    const d = only({ [C]: replaceOnce('clusterCIDR:', 'clusterCidr:') });
    expect(d).toMatchObject({ code: 'schema/unknown-key', hint: "did you mean 'clusterCIDR'?", location: { line: 11, column: 3 } });
  });

  it('suggests keys from every part of the schema, including settings added later such as network and install', () => {
    expect(only({ [N]: replaceOnce('ip: 10.0.0.21', 'ip: 10.0.0.21\nnetwrok: {}') }).hint).toBe("did you mean 'network'?");
    expect(only({ [N]: replaceOnce('ip: 10.0.0.21', 'ip: 10.0.0.21\ninstal: {}') }).hint).toBe("did you mean 'install'?");
    expect(only({ [C]: replaceOnce('ipMasq: true', 'ipmasq: true') }).hint).toBe("did you mean 'ipMasq'?");
  });

  it('tells a user who writes os: ubuntu that Ubuntu and Debian are cloud-init, and suggests a near enum value', () => {
    expect(only({ [N]: replaceOnce('os: fcos', 'os: ubuntu') }).hint).toMatch(/^Ubuntu and Debian are `cloud-init`/);
    expect(only({ [N]: replaceOnce('os: fcos', 'os: flatcr') }).hint).toBe("did you mean 'flatcar'?");
  });

  it('suggests a node name that is itself valid', () => {
    expect(only({ [N]: replaceOnce('name: cp-1', 'name: FC_1') }).hint).toBe("use 'fc-1', the lower-case name kubelet registers");
    expect(only({ [N]: replaceOnce('name: cp-1', 'name: cp_1') }).hint).toBe("use 'cp-1'");
  });

  it('says that an alias names no anchor instead of reading it as null', () => {
    const d = only({ [N]: replaceOnce('os: fcos', 'os: *fcos') });
    expect(d).toMatchObject({ code: 'yaml/undefined-alias', location: { line: 15, column: 5 } });
    expect(d.message).toContain("'*fcos' names no anchor");
  });
});

describe('problems only the generated Ignition config shows', () => {
  it('points an enabled unit without [Install] at the profile line that defines it', () => {
    const dir = exampleProject({ 'roles/worker.yaml': replaceOnce('\n      [Install]\n      WantedBy=multi-user.target\n', '\n') });
    const loaded = loadProject(dir, { env: {} });
    const { diagnostics } = compileProject(loaded.project!);
    const warning = diagnostics.find((d) => d.code === 'ignition/warning');
    expect(warning?.message).toMatch(/worker-1.*enabled, but has no install section/);
    expect(warning?.location).toMatchObject({ file: expect.stringMatching(/roles\/worker\.yaml$/), line: 12, column: 5 });
  });

  it('makes a unit with broken contents a build error at its profile line', () => {
    const dir = exampleProject({ 'roles/worker.yaml': replaceOnce('      WantedBy=multi-user.target\n', '      WantedBy=multi-user.target\n      [X-Broken\n') });
    const loaded = loadProject(dir, { env: {} });
    const { diagnostics } = compileProject(loaded.project!);
    const error = diagnostics.find((d) => d.code === 'ignition/invalid');
    expect(error?.severity).toBe('error');
    expect(error?.message).toMatch(/invalid unit content/);
    expect(error?.location).toMatchObject({ file: expect.stringMatching(/roles\/worker\.yaml$/), line: 12, column: 5 });
  });

  it('holds the cloud-init node of the same role to the same rule: one error at the profile line, with the reason', () => {
    const dir = exampleProject({ 'roles/worker.yaml': replaceOnce('      WantedBy=multi-user.target\n', '      WantedBy=multi-user.target\n      [X-Broken\n') });
    const loaded = loadProject(dir, { env: {} });
    const { diagnostics } = compileProject(loaded.project!);
    const errors = diagnostics.filter((d) => d.code === 'unit/invalid-contents');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.severity).toBe('error');
    expect(errors[0]!.message).toBe("unit 'kindling-motd.service' does not parse as a unit file: unable to find end of section");
    expect(errors[0]!.hint).toMatch(/\[Section\] header, Key=Value/);
    expect(errors[0]!.location).toMatchObject({ file: expect.stringMatching(/roles\/worker\.yaml$/), line: 12, column: 5 });
  });

  it('stops `kindling build` for a cloud-init node whose unit does not parse, leaving out/ untouched', async () => {
    const broken = exampleProject({
      'roles/worker.yaml': replaceOnce('      WantedBy=multi-user.target\n', '      WantedBy=multi-user.target\n      [X-Broken\n'),
    });
    const out = join(tempDir(), 'out');
    const result = await runCli(['build', broken, '--out', out, '--node', 'worker-2']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/roles\/worker\.yaml:12:5: error .*kindling-motd\.service.*does not parse as a unit file.*\[unit\/invalid-contents\]/);
    expect(existsSync(out)).toBe(false);
  });
});

/** A dotted DNS name of exactly `length` characters that starts with `first` (labels of at most 63). */
function dottedName(first: string, length: number): string {
  const labels = [first];
  let size = first.length;
  while (size < length) {
    const label = 'x'.repeat(Math.min(63, length - size - 1));
    labels.push(label);
    size += label.length + 1;
  }
  return labels.join('.');
}

describe('values that reach paths and boot scripts', () => {
  it('rejects a node name longer than a Linux hostname (64 bytes) on every OS, at the name, and accepts one of 64', () => {
    const long = (first: string) => dottedName(first, 253);
    const dir = exampleProject({
      [N]: (text) => replaceOnce('name: cp-1', `name: ${long('cp-1')}`)(replaceOnce('name: worker-1', `name: ${long('worker-1')}`)(replaceOnce('name: worker-2', `name: ${long('worker-2')}`)(text))),
    });
    const loaded = loadProject(dir, { env: {} });
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => ({ code: d.code, file: d.location?.file, line: d.location?.line, column: d.location?.column, os: d.message }));
    const at = (line: number) => ({ code: 'node/invalid-name', file: expect.stringMatching(/profiles\/nodes\/nodes\.yaml$/), line, column: 7, os: expect.stringMatching(/253 characters; a Linux hostname holds at most 64/) });
    expect(errors).toEqual([at(5), at(13), at(22)]);

    const fits = exampleProject({ [N]: replaceOnce('name: cp-1', `name: ${dottedName('cp-1', 64)}`) });
    const project = loadProject(fits, { env: {} }).project!;
    const build = compileProject(project).builds.find((b) => b.node.os === 'flatcar')!;
    const hostname = build.plan.files.find((f) => f.path === '/etc/hostname')!.contents;
    expect(hostname).toEqual({ kind: 'inline', text: `${dottedName('cp-1', 64)}\n` });
  });

  it('stops `kindling build` for a cluster name that names a folder outside --out, writing nothing there', async () => {
    const root = tempDir();
    const dir = exampleProject({ [C]: replaceOnce('name: lab', 'name: ../escaped') });
    const result = await runCli(['build', dir, '--out', join(root, 'out')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/cluster\.yaml:7:7: error .*\[cluster\/invalid-name\]/);
    expect(existsSync(join(root, 'escaped'))).toBe(false);
    expect(existsSync(join(root, 'out'))).toBe(false);
  });
});
