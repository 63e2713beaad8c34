/** The cluster side of flannel metrics: scrape config, alert rules and their tests, checked by promtool. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/build/load-project.ts';
import { renderFlannelMonitoring } from '../../../src/render/cluster/monitoring.ts';
import { exampleProject, replaceOnce, tempDir } from '../../helpers/project.ts';

function monitoring(edits: Parameters<typeof exampleProject>[0] = {}): Map<string, string> {
  const loaded = loadProject(exampleProject(edits), { env: {} });
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return new Map(renderFlannelMonitoring(loaded.project!).map((f) => [f.path, f.data]));
}

function promtool(args: string[], cwd: string): { status: number; output: string } {
  const run = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (run.error) throw new Error(`promtool could not run (${run.error.message}); install the Debian "prometheus" package`);
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}`.trim() };
}

function written(files: Map<string, string>): string {
  const dir = tempDir('kindling-monitoring-');
  for (const [path, data] of files) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), data);
  }
  return join(dir, 'monitoring');
}

interface ScrapeConfig {
  rule_files: string[];
  scrape_configs: { job_name: string; static_configs: { targets: string[]; labels: Record<string, string> }[] }[];
}

describe('renderFlannelMonitoring', () => {
  it('scrapes every node at its address on port 9587, labelled with node, role, os and cluster', () => {
    const config = load(monitoring().get('monitoring/prometheus-scrape.yml')!) as ScrapeConfig;
    expect(config.rule_files).toEqual(['flannel-alerts.yml']);
    expect(config.scrape_configs.map((c) => c.job_name)).toEqual(['flannel']);
    expect(config.scrape_configs[0]!.static_configs).toEqual([
      { targets: ['10.0.0.11:9587'], labels: { cluster: 'lab', node: 'cp-1', role: 'control-plane', os: 'flatcar' } },
      { targets: ['10.0.0.21:9587'], labels: { cluster: 'lab', node: 'worker-1', role: 'worker', os: 'fcos' } },
      { targets: ['10.0.0.22:9587'], labels: { cluster: 'lab', node: 'worker-2', role: 'worker', os: 'cloud-init' } },
    ]);
  });

  it('scrapes a listen address as it is and leaves textfile and switched-off nodes out of the job', () => {
    const files = monitoring({
      'nodes/nodes.yaml': (text) =>
        replaceOnce('name: worker-2\n', 'name: worker-2\nmonitoring: { flannel: { enabled: false } }\n')(
          replaceOnce('name: worker-1\n', 'name: worker-1\nmonitoring: { flannel: { textfileDir: /var/lib/prometheus/node-exporter } }\n')(
            replaceOnce('name: cp-1\n', 'name: cp-1\nmonitoring: { flannel: { listen: "[fd00::11]:9100" } }\n')(text),
          ),
        ),
    });
    const text = files.get('monitoring/prometheus-scrape.yml')!;
    expect(text).toContain('# Nodes writing a node-exporter textfile instead (scraped by node-exporter): worker-1\n');
    const config = load(text) as ScrapeConfig;
    expect(config.scrape_configs[0]!.static_configs.map((s) => s.targets)).toEqual([['[fd00::11]:9100']]);
  });

  it('writes nothing when every node has flannel metrics switched off', () => {
    const files = monitoring({ 'cluster.yaml': replaceOnce('    healthz: { address: 127.0.0.1, port: 8081 }\n', '    healthz: { address: 127.0.0.1, port: 8081 }\n  monitoring: { flannel: { enabled: false } }\n') });
    expect([...files.keys()]).toEqual([]);
  });

  it('passes promtool check config (which also checks the rule file it loads)', () => {
    const dir = written(monitoring());
    const result = promtool(['check', 'config', 'prometheus-scrape.yml'], dir);
    expect(result.output).toContain('SUCCESS: 1 rule files found');
    expect(result.status).toBe(0);
  });

  it('passes promtool check rules', () => {
    const dir = written(monitoring());
    const result = promtool(['check', 'rules', 'flannel-alerts.yml'], dir);
    expect(result.output).toBe('Checking flannel-alerts.yml\n  SUCCESS: 9 rules found');
    expect(result.status).toBe(0);
  });

  it('passes its own promtool rule tests: every alert fires on a bad series and stays quiet before', () => {
    const dir = written(monitoring());
    const result = promtool(['test', 'rules', 'flannel-alerts.test.yml'], dir);
    expect(result.output).toBe('Unit Testing:  flannel-alerts.test.yml\n  SUCCESS');
    expect(result.status).toBe(0);
  });

  it('fails the rule tests when an alert is broken, so they can catch a wrong rule', () => {
    const files = monitoring();
    files.set('monitoring/flannel-alerts.yml', files.get('monitoring/flannel-alerts.yml')!.replace('flannel_ready == 0', 'flannel_ready == 2'));
    const result = promtool(['test', 'rules', 'flannel-alerts.test.yml'], written(files));
    expect(result.status).toBe(1);
    expect(result.output).toContain('alertname: FlannelNotReady');
  });
});
