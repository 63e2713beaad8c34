/**
 * flannel metrics scraped by a REAL Prometheus (Debian's 2.42): the node's script served through
 * systemd's own socket activation tool (`systemd-socket-activate --accept --inetd`, what the
 * `Accept=yes` socket does, without systemd as PID 1) over a fake node, and the scrape
 * configuration and alert rules kindling generates, loaded as they are but for a shorter interval.
 * `flannel_ready` is 1, then 0 once the stand-in flanneld's /readyz stops answering 200.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/build/load-project.ts';
import { planNode } from '../../src/plan/plan-node.ts';
import { renderFlannelMonitoring } from '../../src/render/cluster/monitoring.ts';
import { fakeFlannelNode, type FakeFlannelNode } from '../helpers/flannel-metrics-node.ts';
import { exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';
import { freePort, startPrometheus, type RunningPrometheus } from './harness/prometheus.ts';

const children: ChildProcess[] = [];
function start(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.resume();
  children.push(child);
  return child;
}

let node: FakeFlannelNode;
let prometheus: RunningPrometheus;

beforeAll(async () => {
  const metricsPort = await freePort();
  const dir = exampleProject({
    'cluster.yaml': replaceOnce('    healthz: { address: 127.0.0.1, port: 8081 }\n', '    healthz: { address: 127.0.0.1, port: 8081 }\n  monitoring: { flannel: { enabled: false } }\n'),
    'nodes/nodes.yaml': replaceOnce('name: cp-1\n', `name: cp-1\nmonitoring: { flannel: { enabled: true, listen: 127.0.0.1:${metricsPort} } }\n`),
  });
  const loaded = loadProject(dir, { env: {} });
  const project = loaded.project!;
  const cp1 = project.nodes.find((n) => n.name === 'cp-1')!;
  const plan = planNode(project, cp1).plan!;
  const script = plan.files.find((f) => f.path === '/opt/bin/kindling-flannel-metrics')!;
  if (script.contents.kind !== 'inline') throw new Error('the metrics script is not inline');
  node = fakeFlannelNode(script.contents.text, { readyz: 200, subnetEnv: true });
  // The node's identity as its per-connection service passes it.
  const service = plan.units.find((u) => u.name === 'kindling-flannel-metrics@.service')!.contents!;
  const identity = Object.fromEntries([...service.matchAll(/^Environment=(KINDLING_[A-Z_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
  expect(Object.keys(identity)).toEqual(['KINDLING_NODE', 'KINDLING_CONFIG_DIGEST']);

  // What the socket unit does: listen, and run the script per connection with the socket as stdin/stdout.
  start('systemd-socket-activate', [
    `--listen=127.0.0.1:${metricsPort}`,
    '--accept',
    '--inetd',
    ...Object.entries({ ...node.env, ...identity }).map(([k, v]) => `--setenv=${k}=${v}`),
    '/bin/sh',
    node.script,
    'serve',
  ]);

  const monitoring = join(node.root, 'monitoring');
  mkdirSync(monitoring);
  for (const file of renderFlannelMonitoring(project)) {
    // Only the intervals differ from the generated file (Prometheus evaluates rules every minute by
    // default): the real ones would make this test wait minutes.
    const data = file.path.endsWith('prometheus-scrape.yml')
      ? `global:\n  evaluation_interval: 2s\n${file.data.replace('scrape_interval: 15s', 'scrape_interval: 2s').replace('scrape_timeout: 10s', 'scrape_timeout: 2s')}`
      : file.data;
    writeFileSync(join(node.root, file.path), data);
  }
  prometheus = await startPrometheus(join(monitoring, 'prometheus-scrape.yml'), join(tempDir('kindling-prometheus-'), 'data'));
}, 30_000);

afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
  prometheus?.stop();
});

describe('a real Prometheus scraping the flannel metrics endpoint', () => {
  it('reads flannel_ready 1 with the node, role, os and cluster labels of the generated scrape config', async () => {
    const sample = await prometheus.waitFor('flannel_ready', '1', 40);
    expect(sample.metric).toMatchObject({ __name__: 'flannel_ready', job: 'flannel', node: 'cp-1', role: 'control-plane', os: 'flatcar', cluster: 'lab' });
    expect((await prometheus.waitFor('up{job="flannel"}', '1', 10)).metric.node).toBe('cp-1');
    const info = await prometheus.waitFor('flannel_subnet_info', '1', 10);
    expect(info.metric).toMatchObject({ backend: 'vxlan', subnet: '10.244.1.1/24', mtu: '1450' });
  }, 60_000);

  it('loads the generated rules: the build kindling expects for cp-1 is the one the node reports', async () => {
    const expected = await prometheus.waitFor('kindling:expected_build_info{node="cp-1"}', '1', 20);
    expect(expected.metric.config_digest).toMatch(/^[0-9a-f]{64}$/);
    const reported = await prometheus.waitFor('kindling_build_info', '1', 10);
    expect(reported.metric).toMatchObject({ node: 'cp-1', cluster: 'lab', config_digest: expected.metric.config_digest });
    // KindlingConfigDrift's expression: empty while the node runs what kindling built for it.
    expect(await prometheus.query('kindling_build_info unless on (node, config_digest) kindling:expected_build_info')).toEqual([]);
  }, 30_000);

  it('reads flannel_ready 0 once the stand-in flanneld stops being ready', async () => {
    node.setReadyz(503);
    const sample = await prometheus.waitFor('flannel_ready', '0', 30);
    expect(sample.metric.node).toBe('cp-1');
  }, 40_000);
});
