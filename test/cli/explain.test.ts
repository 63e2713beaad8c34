/** `kindling explain PATH`: a field's type, default, allowed values, description and child fields, from the profile schema. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBinary, runCli } from '../helpers/cli.ts';
import { REPO } from '../helpers/project.ts';

const schema = JSON.parse(readFileSync(join(REPO, 'schemas/profile.schema.json'), 'utf8')) as {
  $defs: Record<string, { properties?: Record<string, { description?: string; $ref?: string }> }>;
};
const NETWORK_DESCRIPTION = (schema.$defs.NodeSettings!.properties!.network as { description: string }).description;

interface ExplainJson {
  path: string;
  type: string;
  required: boolean;
  description: string;
  default?: unknown;
  allowed?: unknown[];
  constraints: string[];
  fields: { name: string; type: string; required: boolean; description: string }[];
}

async function explainJson(path: string): Promise<ExplainJson> {
  const run = await runCli(['explain', path, '--format', 'json']);
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as ExplainJson;
}

describe('kindling explain', () => {
  it('explains node.network: its type, its description and its fields with their types', async () => {
    const run = await runCli(['explain', 'node.network']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('node.network (object)');
    expect(run.stdout).toContain(NETWORK_DESCRIPTION.slice(0, 60));
    expect(lines).toContain('Fields:');
    expect(lines).toContain('  mac          string          Match the NIC by this MAC address (then it is renamed to `name`).');
    expect(lines).toContain('  addresses    list of string  Addresses with prefix length, e.g. 10.0.0.21/24 or fd00::21/64; the node\'s `ip`/`ipv6` must be among them.');
  });

  it('gives the allowed values of an enum, and says that a field is required', async () => {
    const run = await runCli(['explain', 'cluster.flannel.backend.type']);
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('cluster.flannel.backend.type (string, required)');
    expect(lines).toContain('Allowed: vxlan, host-gw, wireguard, udp, ipip');
    expect(lines).not.toContain('Fields:');
  });

  it('gives the default, and finds the settings a Node takes from the shared node settings', async () => {
    expect(await explainJson('node.os')).toMatchObject({ path: 'node.os', type: 'string', required: false, default: 'flatcar', allowed: ['flatcar', 'fcos', 'cloud-init'] });
    expect(await explainJson('cluster.defaults.flannel.healthz.port')).toMatchObject({ type: 'integer', default: 8081, constraints: ['from 0 to 65535'] });
  });

  it('goes through lists to the fields of their items, and resolves $ref to the definition', async () => {
    const url = await explainJson('role.files.contents.url');
    expect(url.type).toBe('string');
    expect(url.description).toMatch(/^Downloaded by the node at first boot/);
    const credentials = await explainJson('cluster.kubernetes.credentials');
    expect(credentials.fields.map((f) => [f.name, f.type, f.required])).toEqual([
      ['ca', 'object', true],
      ['token', 'object', false],
      ['clientCertificate', 'object', false],
      ['clientKey', 'object', false],
    ]);
  });

  it('explains a document kind, whatever its case', async () => {
    const node = await explainJson('Node');
    expect(node.path).toBe('node');
    expect(node.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['apiVersion', 'kind', 'name', 'role', 'ip', 'os', 'network', 'install']));
    expect(node.fields.find((f) => f.name === 'name')).toMatchObject({ type: 'string', required: true });
  });

  it('explains every field the schema has, each with a description', async () => {
    const pending = ['cluster', 'role', 'node'];
    let explained = 0;
    while (pending.length > 0) {
      const path = pending.pop()!;
      const result = await explainJson(path);
      expect(result.description, path).not.toBe('');
      explained++;
      for (const field of result.fields) pending.push(`${path}.${field.name}`);
    }
    expect(explained).toBeGreaterThan(250);
  });

  it('suggests the closest field for a misspelt path, and exits 1', async () => {
    const run = await runCli(['explain', 'node.netwrk']);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe("kindling explain: node has no field 'netwrk'; did you mean node.network?\n");
  });

  it('suggests the document kind for a misspelt first word, and lists the fields when nothing is close', async () => {
    expect((await runCli(['explain', 'nodes.os'])).stderr).toBe("kindling explain: no document kind 'nodes'; did you mean node?\n");
    const run = await runCli(['explain', 'cluster.flannel.backend.zzzzzzzz']);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      "kindling explain: cluster.flannel.backend has no field 'zzzzzzzz'; its fields: type, vni, port, gbp, directRouting, learning, mtu, listenPort, listenPortV6, psk, persistentKeepaliveInterval, mode\n",
    );
  });

  it('says a field has no fields below it', async () => {
    const run = await runCli(['explain', 'node.os.value']);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('kindling explain: node.os is a string; it has no fields\n');
  });

  it('runs as the installed command', () => {
    const run = runBinary(['explain', 'cluster.flannel.backend.type']);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('cluster.flannel.backend.type (string, required)');
  });
});
