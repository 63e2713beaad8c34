/**
 * The README's install-to-disk rack is written to be copied: its three YAML blocks (each starting
 * with a `# rack/<file>` comment) must build as they stand, and produce each OS's install path.
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { EXAMPLE, REPO, tempDir } from '../helpers/project.ts';

/** `# rack/<file>` → the YAML block that starts with it. */
function rackFiles(readme: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const match of readme.matchAll(/^```yaml\n(# rack\/(\S+)\n[\s\S]*?)^```$/gm)) files.set(match[2]!, match[1]!);
  return files;
}

describe("the README's install-to-disk rack", () => {
  const files = rackFiles(readFileSync(join(REPO, 'README.md'), 'utf8'));

  it('is three files: the cluster, the roles and the nodes', () => {
    expect([...files.keys()].sort()).toEqual(['cluster.yaml', 'nodes/nodes.yaml', 'roles/install.yaml']);
  });

  it('builds under --strict, each OS on its install path', async () => {
    const dir = join(tempDir(), 'rack');
    for (const [name, text] of files) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    cpSync(join(EXAMPLE, 'secrets'), join(dir, 'secrets'), { recursive: true });
    chmodSync(join(dir, 'secrets/flannel.token'), 0o600);
    const out = join(tempDir(), 'out');
    const run = await runCli(['build', dir, '--out', out, '--strict']);
    expect(run.status, run.stderr).toBe(0);
    const read = (path: string): string => readFileSync(join(out, 'rack', path), 'utf8');

    // fcos: coreos-installer from the live image, with the node's own config for the installed system.
    const cp = read('pxe/mac/52-54-00-00-01-11.ipxe');
    expect(cp).toContain(' coreos.inst.install_dev=/dev/sda coreos.inst.ignition_url=http://10.0.0.1/rack/nodes/cp-1/config.ign');
    expect(cp).not.toContain('ignition.config.url=');
    // flatcar: the installer config, matched by SMBIOS UUID, which fetches config.ign and checks its hash.
    expect(read('pxe/uuid/4c4c4544-0042-3010-8052-b4c04f4b4e31.ipxe')).toContain('ignition.config.url=http://10.0.0.1/rack/nodes/flatcar-1/install.ign');
    expect(read('nodes/flatcar-1/install.ign')).toContain('"name":"kindling-install.service"');
    // Ubuntu: the installer with the node's autoinstall seed, matched by serial or MAC.
    expect(read('pxe/serial/SN0031.ipxe')).toContain('autoinstall ds=nocloud-net;s=http://10.0.0.1/rack/nodes/ubuntu-1/autoinstall/');
    expect(read('nodes/ubuntu-1/autoinstall/user-data')).toMatch(/^#cloud-config\n(#.*\n)*autoinstall:\n/);
  });
});
