import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dump } from 'js-yaml';
import { execFileSync } from 'node:child_process';
import { metaDataText } from '../../../src/render/cloud-init/cloud-config.ts';
import { buildExample } from '../../helpers/build-example.ts';
import { exampleProject, workerRoleEndingInBlankLines } from '../../helpers/project.ts';

interface WriteFile {
  path: string;
  content: string;
}

function writeFilesOf(userData: string | Uint8Array): WriteFile[] {
  const text = typeof userData === 'string' ? userData : Buffer.from(userData).toString('utf8');
  return (parse(text) as { write_files: WriteFile[] }).write_files;
}

describe('renderCloudInit', () => {
  it('keeps user-data valid YAML when a file or unit ends in blank lines (js-yaml would end the document there)', () => {
    const dir = exampleProject({ 'roles/worker.yaml': workerRoleEndingInBlankLines('worker\\n\\n') });
    const built = buildExample(dir);
    const worker = built.builds.find((b) => b.node.os === 'cloud-init')!;
    const userData = worker.artifacts.find((a) => a.name === 'user-data')!.data;
    expect(String(userData)).not.toMatch(/^\s*\.\.\.$/m);
    const files = writeFilesOf(userData);
    expect(files.find((f) => f.path === '/etc/kindling/role')?.content).toBe('worker\n\n');
    expect(files.find((f) => f.path === '/etc/systemd/system/kindling-motd.service')?.content).toMatch(/WantedBy=multi-user\.target\n\n\n$/);
    // Everything after those items still parses in place.
    expect((parse(String(userData)) as { runcmd: unknown[] }).runcmd.length).toBeGreaterThan(2);
  });

  it('renders a per-node unit (flanneld.service) with the node name and the fetch drop-in, for every node alike', () => {
    const built = buildExample();
    const worker = built.builds.find((b) => b.node.os === 'cloud-init')!;
    const files = writeFilesOf(worker.artifacts.find((a) => a.name === 'user-data')!.data);
    expect(files.find((f) => f.path === '/etc/systemd/system/flanneld.service')?.content).toContain(`NODE_NAME=${worker.node.name}`);
    expect(files.find((f) => f.path === '/etc/systemd/system/flanneld.service.d/10-kindling-fetch.conf')?.content).toBe(
      '[Unit]\nRequires=kindling-fetch.service\nAfter=kindling-fetch.service\n',
    );
  });
});

describe('metaDataText', () => {
  const names = ['node-1', 'worker-2', 'a-b', 'x-0', 'cp-1-a', 'iid-node-7-0a1b2c3d4e5f', 'yes', 'no', 'on', 'off', 'y', 'n', 'null', 'true', '123', '1e3', '0x1f', '1-2', 'node', 'no-1'];

  it('writes exactly what js-yaml dump writes, for plain and awkward names alike', () => {
    for (const name of names) {
      expect(metaDataText(`iid-${name}`, name), name).toBe(dump({ 'instance-id': `iid-${name}`, 'local-hostname': name }, { lineWidth: -1, noRefs: true }));
    }
  });

  it('reads back as strings in PyYAML (YAML 1.1, what cloud-init uses)', () => {
    const documents = names.map((name) => metaDataText(`iid-${name}`, name));
    const python = 'import json, sys, yaml\nprint(json.dumps([yaml.safe_load(d) for d in json.load(sys.stdin)]))';
    const read = JSON.parse(execFileSync('python3', ['-c', python], { input: JSON.stringify(documents), encoding: 'utf8' })) as Record<string, unknown>[];
    read.forEach((data, index) => expect(data, names[index]).toEqual({ 'instance-id': `iid-${names[index]}`, 'local-hostname': names[index] }));
  });
});

describe("meta-data's instance-id", () => {
  const metaDataOf = (edits: Record<string, (text: string) => string> = {}): string => {
    const worker = buildExample(exampleProject(edits)).builds.find((b) => b.node.name === 'worker-2')!;
    return String(worker.artifacts.find((a) => a.name === 'meta-data')!.data);
  };
  const otherIp = (text: string): string => text.replace('ip: 10.0.0.22', 'ip: 10.0.0.23');

  it('follows the config by default, so a changed config is a new instance that cloud-init applies at the next boot', () => {
    const before = metaDataOf();
    expect(before).toMatch(/^instance-id: iid-worker-2-[0-9a-f]{12}\n/);
    expect(metaDataOf({ 'nodes/nodes.yaml': otherIp })).not.toBe(before);
  });

  it('stays iid-<node> with cloudInit.instanceId: node, whatever the config', () => {
    const stable = (text: string): string => text.replace('os: cloud-init\n', 'os: cloud-init\ncloudInit: { instanceId: node }\n');
    expect(metaDataOf({ 'nodes/nodes.yaml': stable })).toBe('instance-id: iid-worker-2\nlocal-hostname: worker-2\n');
    expect(metaDataOf({ 'nodes/nodes.yaml': (t) => stable(otherIp(t)) })).toBe('instance-id: iid-worker-2\nlocal-hostname: worker-2\n');
  });
});
