/**
 * flannel metrics on the node: what the plan holds per setting, the units as systemd reads them,
 * and the script itself run the way its socket runs it — a request on stdin, the answer on stdout —
 * against a fake /sys/class/net, subnet.env and stand-ins for curl, systemctl, ip and bridge.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/build/load-project.ts';
import { planNode } from '../../../src/plan/plan-node.ts';
import { exampleProject, replaceOnce } from '../../helpers/project.ts';
import { systemdVerify } from '../../helpers/systemd-verify.ts';
import { fakeFlannelNode, type FakeFlannelNode } from '../../helpers/flannel-metrics-node.ts';

function plan(edits: Parameters<typeof exampleProject>[0], nodeName: string) {
  const loaded = loadProject(exampleProject(edits), { env: {} });
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const node = loaded.project!.nodes.find((n) => n.name === nodeName)!;
  return planNode(loaded.project!, node).plan!;
}

type Plan = ReturnType<typeof plan>;
const unitText = (p: Plan, name: string): string => {
  const unit = p.units.find((u) => u.name === name);
  if (unit?.contents === undefined) throw new Error(`no unit ${name}`);
  return unit.contents;
};
const metricsUnits = (p: Plan): string[] => p.units.map((u) => u.name).filter((n) => n.startsWith('kindling-flannel-metrics'));
const scriptText = (p: Plan): string => {
  const file = p.files.find((f) => f.path.endsWith('/kindling-flannel-metrics'));
  if (file?.contents.kind !== 'inline') throw new Error('no inline metrics script');
  return file.contents.text;
};
const withDefaults = (block: string) => ({ 'cluster.yaml': replaceOnce('    healthz: { address: 127.0.0.1, port: 8081 }\n', `    healthz: { address: 127.0.0.1, port: 8081 }\n  monitoring:\n${block}`) });

describe('the flannel metrics plan', () => {
  it('serves metrics on port 9587 through a socket and a per-connection service when the profile says nothing', () => {
    const p = plan({}, 'worker-1');
    expect(metricsUnits(p)).toEqual(['kindling-flannel-metrics.socket', 'kindling-flannel-metrics@.service']);
    expect(p.files.find((f) => f.path === '/usr/local/bin/kindling-flannel-metrics')?.mode).toBe(0o755);
    const socket = unitText(p, 'kindling-flannel-metrics.socket');
    expect(socket).toMatch(/^ListenStream=9587$/m);
    expect(socket).toMatch(/^Accept=yes$/m);
    const service = unitText(p, 'kindling-flannel-metrics@.service');
    expect(service).toMatch(/^ExecStart=\/usr\/local\/bin\/kindling-flannel-metrics serve$/m);
    expect(service).toMatch(/^DynamicUser=yes$/m);
    expect(service).toMatch(/^ProtectSystem=strict$/m);
    expect(service).toMatch(/^IPAddressDeny=any$/m);
    expect(service).toMatch(/^IPAddressAllow=127\.0\.0\.1$/m);
    expect(service).toMatch(/^Environment=KINDLING_NODE=worker-1$/m);
    expect(service).toMatch(/^Environment=KINDLING_CONFIG_DIGEST=[0-9a-f]{64}$/m);
  });

  it('listens where monitoring.flannel.listen says, the node overriding its defaults', () => {
    const p = plan(
      {
        ...withDefaults('    flannel: { listen: 10.0.0.1:9000 }\n'),
        'nodes/nodes.yaml': replaceOnce('name: cp-1\n', 'name: cp-1\nmonitoring: { flannel: { listen: "[fd00::11]:9100" } }\n'),
      },
      'cp-1',
    );
    expect(unitText(p, 'kindling-flannel-metrics.socket')).toMatch(/^ListenStream=\[fd00::11\]:9100$/m);
    expect(unitText(plan(withDefaults('    flannel: { listen: 10.0.0.1:9000 }\n'), 'cp-1'), 'kindling-flannel-metrics.socket')).toMatch(/^ListenStream=10\.0\.0\.1:9000$/m);
  });

  it('writes a node-exporter textfile from a timer instead when textfileDir is set, and a later listen undoes it', () => {
    const p = plan(withDefaults('    flannel: { textfileDir: /var/lib/node-exporter/textfile }\n'), 'cp-1');
    expect(metricsUnits(p)).toEqual(['kindling-flannel-metrics-textfile.service', 'kindling-flannel-metrics-textfile.timer']);
    const service = unitText(p, 'kindling-flannel-metrics-textfile.service');
    expect(service).toMatch(/^ExecStart=\/opt\/bin\/kindling-flannel-metrics textfile \/var\/lib\/node-exporter\/textfile$/m);
    expect(service).toMatch(/^ReadWritePaths=\/var\/lib\/node-exporter\/textfile$/m);
    expect(p.directories.some((d) => d.path === '/var/lib/node-exporter/textfile')).toBe(true);
    const undone = plan(
      {
        ...withDefaults('    flannel: { textfileDir: /var/lib/node-exporter/textfile }\n'),
        'nodes/nodes.yaml': replaceOnce('name: cp-1\n', 'name: cp-1\nmonitoring: { flannel: { listen: 10.0.0.11:9587 } }\n'),
      },
      'cp-1',
    );
    expect(metricsUnits(undone)).toEqual(['kindling-flannel-metrics.socket', 'kindling-flannel-metrics@.service']);
  });

  it('plans nothing for flannel metrics when enabled is false', () => {
    const p = plan(withDefaults('    flannel: { enabled: false }\n'), 'worker-2');
    expect(metricsUnits(p)).toEqual([]);
    expect(p.files.filter((f) => f.path.includes('flannel-metrics'))).toEqual([]);
  });

  it('writes units systemd-analyze verify accepts, for the socket and for the timer', () => {
    const socketPlan = plan({}, 'cp-1');
    const socketRun = systemdVerify(['kindling-flannel-metrics.socket', 'kindling-flannel-metrics@.service'].map((name) => ({ name, contents: unitText(socketPlan, name) })));
    expect(socketRun.output).toBe('');
    expect(socketRun.status).toBe(0);
    const timerPlan = plan(withDefaults('    flannel: { textfileDir: /var/lib/node-exporter/textfile }\n'), 'cp-1');
    const timerRun = systemdVerify(['kindling-flannel-metrics-textfile.timer', 'kindling-flannel-metrics-textfile.service'].map((name) => ({ name, contents: unitText(timerPlan, name) })));
    expect(timerRun.output).toBe('');
    expect(timerRun.status).toBe(0);
  });
});

function fakeNode(options: { readyz: number; subnetEnv: boolean }): FakeFlannelNode {
  return fakeFlannelNode(scriptText(plan({}, 'worker-1')), options);
}

/** Runs `script serve` with `request` on stdin (then EOF, unless `hold`), as the socket would. */
/** The shells /bin/sh is on the targets: dash (Debian, Ubuntu) and bash in POSIX mode (Flatcar, Fedora CoreOS). */
const SHELLS: readonly (readonly string[])[] = [['dash'], ['bash', '--posix']];

function serve(shell: readonly string[], node: FakeFlannelNode, request: string, hold = false): Promise<{ output: string; seconds: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(shell[0]!, [...shell.slice(1), node.script, 'serve'], { env: node.env, stdio: ['pipe', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', () => {
      child.stdin.destroy();
      resolve({ output, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    });
    child.stdin.on('error', () => {}); // the script may close stdin before a long request is written
    child.stdin.write(request);
    if (!hold) child.stdin.end();
  });
}

const body = (response: string): string => response.slice(response.indexOf('\r\n\r\n') + 4);
const statusLine = (response: string): string => response.slice(0, response.indexOf('\r\n'));

function promtoolCheckMetrics(text: string): { status: number; output: string } {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (run.error) throw new Error(`promtool could not run (${run.error.message}); install the Debian "prometheus" package`);
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}`.trim() };
}

describe.each(SHELLS)('the flannel metrics script under %s', (...shell) => {
  it('answers GET /metrics with metrics promtool check metrics accepts without a complaint', async () => {
    const node = fakeNode({ readyz: 200, subnetEnv: true });
    const response = await serve(shell, node, 'GET /metrics HTTP/1.1\r\nHost: worker-1:9587\r\nAccept: text/plain\r\n\r\n');
    expect(statusLine(response.output)).toBe('HTTP/1.1 200 OK');
    expect(response.output).toContain('\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n');
    const text = body(response.output);
    expect(response.output).toContain(`\r\nContent-Length: ${Buffer.byteLength(text)}\r\n`);
    expect(promtoolCheckMetrics(text)).toEqual({ status: 0, output: '' });
    const samples = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(samples).toEqual([
      'flannel_ready 1',
      'flannel_healthz_up 1',
      'flannel_subnet_env_present 1',
      'flannel_subnet_info{backend="vxlan",network="10.244.0.0/16",subnet="10.244.1.1/24",ipv6_network="",ipv6_subnet="",mtu="1450",ipmasq="true"} 1',
      'flannel_subnet_mtu_bytes 1450',
      'flannel_service_active 1',
      'flannel_service_restarts_total 3',
      'flannel_service_start_time_seconds 1764780000',
      'flannel_network_device_up{device="flannel.1"} 1',
      'flannel_network_device_up{device="cni0"} 1',
      'flannel_network_receive_bytes_total{device="flannel.1"} 1000',
      'flannel_network_receive_bytes_total{device="cni0"} 1000',
      'flannel_network_transmit_bytes_total{device="flannel.1"} 2000',
      'flannel_network_transmit_bytes_total{device="cni0"} 2000',
      'flannel_network_receive_packets_total{device="flannel.1"} 10',
      'flannel_network_receive_packets_total{device="cni0"} 10',
      'flannel_network_transmit_packets_total{device="flannel.1"} 20',
      'flannel_network_transmit_packets_total{device="cni0"} 20',
      'flannel_network_receive_errors_total{device="flannel.1"} 1',
      'flannel_network_receive_errors_total{device="cni0"} 1',
      'flannel_network_transmit_errors_total{device="flannel.1"} 0',
      'flannel_network_transmit_errors_total{device="cni0"} 0',
      'flannel_network_receive_drop_total{device="flannel.1"} 2',
      'flannel_network_receive_drop_total{device="cni0"} 2',
      'flannel_network_transmit_drop_total{device="flannel.1"} 0',
      'flannel_network_transmit_drop_total{device="cni0"} 0',
      'flannel_vxlan_fdb_entries{device="flannel.1"} 2',
      'flannel_vxlan_neighbours{device="flannel.1"} 1',
      'flannel_peer_routes 2',
      'kindling_build_info{cluster="lab",node="worker-1",config_digest="abc123"} 1',
    ]);
  });

  it('reports not ready and no subnet.env when flanneld is not ready yet', async () => {
    const node = fakeNode({ readyz: 503, subnetEnv: false });
    const text = body((await serve(shell, node, 'GET /metrics HTTP/1.0\r\n\r\n')).output);
    expect(promtoolCheckMetrics(text)).toEqual({ status: 0, output: '' });
    expect(text).toMatch(/^flannel_ready 0$/m);
    expect(text).toMatch(/^flannel_subnet_env_present 0$/m);
    expect(text).not.toMatch(/^flannel_subnet_info\{/m);
  });

  it('before flannel v0.28.9 counts flanneld ready when /healthz answers and subnet.env exists, never asking /readyz', async () => {
    const older = scriptText(plan({ 'cluster.yaml': replaceOnce('  version: v0.28.9\n', '  version: v0.27.4\n') }, 'worker-1'));
    const withSubnet = fakeFlannelNode(older, { readyz: 503, subnetEnv: true });
    expect(body((await serve(shell, withSubnet, 'GET /metrics HTTP/1.1\r\n\r\n')).output)).toMatch(/^flannel_ready 1$/m);
    const without = fakeFlannelNode(older, { readyz: 200, subnetEnv: false });
    expect(body((await serve(shell, without, 'GET /metrics HTTP/1.1\r\n\r\n')).output)).toMatch(/^flannel_ready 0$/m);
  });

  it('refuses another method with 405, another path with 404 and a malformed line with 400', async () => {
    const node = fakeNode({ readyz: 200, subnetEnv: true });
    const post = (await serve(shell, node, 'POST /metrics HTTP/1.1\r\n\r\n')).output;
    expect(statusLine(post)).toBe('HTTP/1.1 405 Method Not Allowed');
    expect(post).toContain('\r\nAllow: GET\r\n');
    expect(statusLine((await serve(shell, node, 'GET / HTTP/1.1\r\n\r\n')).output)).toBe('HTTP/1.1 404 Not Found');
    expect(statusLine((await serve(shell, node, 'GET /metrics?x=1 HTTP/1.1\r\n\r\n')).output)).toBe('HTTP/1.1 404 Not Found');
    expect(statusLine((await serve(shell, node, 'GET /metrics\r\n\r\n')).output)).toBe('HTTP/1.1 400 Bad Request');
    expect(statusLine((await serve(shell, node, 'GET /metrics SMTP/1.1\r\n\r\n')).output)).toBe('HTTP/1.1 400 Bad Request');
  });

  it('refuses a request line over 1024 bytes with 400 without waiting for its end', async () => {
    const node = fakeNode({ readyz: 200, subnetEnv: true });
    const long = await serve(shell, node, `GET /${'a'.repeat(4000)} HTTP/1.1\r\n\r\n`);
    expect(statusLine(long.output)).toBe('HTTP/1.1 400 Bad Request');
    expect(long.seconds).toBeLessThan(3);
  });

  it('gives a client that sends nothing 400 after 5 seconds, even with the connection held open', async () => {
    const node = fakeNode({ readyz: 200, subnetEnv: true });
    const slow = await serve(shell, node, 'GET /met', true);
    expect(statusLine(slow.output)).toBe('HTTP/1.1 400 Bad Request');
    expect(slow.seconds).toBeGreaterThanOrEqual(4.9);
    expect(slow.seconds).toBeLessThan(8);
  }, 15_000);

  it('writes flannel.prom atomically into a textfile folder, leaving no temporary file', () => {
    const node = fakeNode({ readyz: 200, subnetEnv: true });
    const dir = join(node.root, 'textfile');
    mkdirSync(dir);
    const run = spawnSync(shell[0]!, [...shell.slice(1), node.script, 'textfile', dir], { env: node.env, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readdirSync(dir)).toEqual(['flannel.prom']);
    const text = readFileSync(join(dir, 'flannel.prom'), 'utf8');
    expect(promtoolCheckMetrics(text)).toEqual({ status: 0, output: '' });
    expect(text).toMatch(/^flannel_ready 1$/m);
  });
});
