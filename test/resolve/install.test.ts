import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/build/load-project.ts';
import { exampleProject, replaceOnce } from '../helpers/project.ts';

const PUBLISH = (text: string): string => `${text}\ndelivery:\n  publishURL: http://10.0.0.1/lab/\n`;

describe('resolving a node\'s install block', () => {
  it('merges defaults, role and node key by key, down into install.flatcar', () => {
    const dir = exampleProject({
      'cluster.yaml': (t) => PUBLISH(t).replace('defaults:\n', 'defaults:\n  install: { disk: /dev/vda, flatcar: { channel: beta, baseURL: http://mirror.lab/flatcar/amd64-usr } }\n'),
      'roles/control-plane.yaml': (t) => `${t}\ninstall: { disk: /dev/sda }\n`,
      'nodes/nodes.yaml': replaceOnce('macs: [52:54:00:00:00:11]', 'macs: [52:54:00:00:00:11]\ninstall: { flatcar: { version: 4081.2.0 } }'),
    });
    const { project, diagnostics } = loadProject(dir, { env: {} });
    expect(diagnostics.filter((d) => d.severity !== 'info').map((d) => d.code)).not.toContain('install/not-flatcar');
    const cp1 = project!.nodes.find((n) => n.name === 'cp-1')!;
    expect(cp1.install).toMatchObject({ disk: '/dev/sda', flatcar: { channel: 'beta', version: '4081.2.0', baseURL: 'http://mirror.lab/flatcar/amd64-usr' } });
    expect(cp1.install!.origin).toMatchObject({ file: expect.stringMatching(/nodes\.yaml$/), line: 10 });
    const worker2 = project!.nodes.find((n) => n.name === 'worker-2')!;
    expect(worker2.install).toMatchObject({ disk: '/dev/vda', flatcar: { channel: 'beta', version: 'current' } });
  });

  it('leaves a node without any install block to boot live', () => {
    const { project } = loadProject(exampleProject({ 'cluster.yaml': PUBLISH }), { env: {} });
    expect(project!.nodes.map((n) => n.install)).toEqual([undefined, undefined, undefined]);
  });

  it('warns that install.flatcar does nothing on a node that runs another OS', () => {
    const dir = exampleProject({ 'cluster.yaml': PUBLISH, 'nodes/nodes.yaml': replaceOnce('macs: [52:54:00:00:00:22]', 'macs: [52:54:00:00:00:22]\ninstall: { disk: /dev/sda, flatcar: { channel: lts } }') });
    const { diagnostics } = loadProject(dir, { env: {} });
    const warning = diagnostics.find((d) => d.code === 'install/not-flatcar');
    expect(warning).toMatchObject({ severity: 'warning', location: { line: 28, column: 28 } });
    expect(warning!.message).toContain("node 'worker-2', which runs cloud-init");
  });

  it('lower-cases the SMBIOS UUID to the form iPXE prints', () => {
    const dir = exampleProject({ 'nodes/nodes.yaml': replaceOnce('macs: [52:54:00:00:00:22]', 'macs: [52:54:00:00:00:22]\nuuid: 4C4C4544-0042-3010-8052-B4C04F4B4E31\nserial: SN-42') });
    const node = loadProject(dir, { env: {} }).project!.nodes.find((n) => n.name === 'worker-2')!;
    expect(node).toMatchObject({ uuid: '4c4c4544-0042-3010-8052-b4c04f4b4e31', serial: 'SN-42' });
  });
});
