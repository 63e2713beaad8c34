/** secret/unprotected-channel: Azure customData and a plain-http publish URL carry the kubeconfig unprotected. */
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/build/load-project.ts';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.ts';
import { runCli } from '../helpers/cli.ts';
import { exampleProject, replaceOnce } from '../helpers/project.ts';

const channelWarnings = (dir: string): Diagnostic[] => loadProject(dir).diagnostics.filter((d) => d.code === 'secret/unprotected-channel');

describe('secret/unprotected-channel', () => {
  it('says nothing about the example, which uses neither channel', () => {
    expect(channelWarnings(exampleProject())).toEqual([]);
  });

  it('warns once per place azure is set, naming the nodes, with the alternative in the hint', () => {
    const dir = exampleProject({
      'roles/worker.yaml': replaceOnce('name: worker\n', 'name: worker\nplatform: azure\n'),
    });
    const warnings = channelWarnings(dir);
    expect(warnings).toHaveLength(1);
    const [warning] = warnings;
    expect(warning?.severity).toBe('warning');
    expect(warning?.message).toMatch(/Azure customData.*2 nodes: worker-1, worker-2/);
    expect(warning?.hint).toMatch(/http_headers/);
    expect(warning?.hint).toMatch(/after boot/);
    expect(warning?.location).toMatchObject({ file: expect.stringMatching(/roles\/worker\.yaml$/), line: 5, column: 11 });
  });

  it('locates a node-level azure platform at the node', () => {
    const dir = exampleProject({ 'nodes/nodes.yaml': replaceOnce('name: cp-1\n', 'name: cp-1\nplatform: azure\n') });
    const warnings = channelWarnings(dir);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/for node cp-1$/);
    expect(warnings[0]?.location).toMatchObject({ file: expect.stringMatching(/nodes\/nodes\.yaml$/), line: 6 });
  });

  it('warns about a plain-http publishURL but not an https one', () => {
    const http = exampleProject({ 'cluster.yaml': (t) => `${t}\ndelivery:\n  publishURL: http://boot.example.internal/kindling\n` });
    const [warning, ...rest] = channelWarnings(http);
    expect(rest).toEqual([]);
    expect(warning?.message).toMatch(/publishURL is plain http/);
    expect(warning?.hint).toMatch(/https/);
    expect(warning?.hint).toMatch(/http_headers/);
    expect(warning?.path).toEqual(['delivery', 'publishURL']);

    const https = exampleProject({ 'cluster.yaml': (t) => `${t}\ndelivery:\n  publishURL: https://boot.example.internal/kindling\n` });
    expect(channelWarnings(https)).toEqual([]);
  });

  it('is a warning that --strict refuses, reported even when other errors stop the nodes from resolving', async () => {
    const dir = exampleProject({
      'cluster.yaml': replaceOnce('  allowUnpinned: true', '  allowUnpinned: false'),
      'roles/worker.yaml': replaceOnce('name: worker\n', 'name: worker\nplatform: azure\n'),
    });
    // allowUnpinned false makes unpinned downloads errors: use validate --format json to see the warning among them.
    const run = await runCli(['validate', dir, '--format', 'json']);
    const report = JSON.parse(run.stdout) as { diagnostics: { code: string; severity: string }[] };
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ code: 'secret/unprotected-channel', severity: 'warning' }));

    const allowed = exampleProject({ 'roles/worker.yaml': replaceOnce('name: worker\n', 'name: worker\nplatform: azure\n') });
    expect((await runCli(['validate', allowed])).status).toBe(0);
    const strict = await runCli(['validate', allowed, '--strict']);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toMatch(/\[secret\/unprotected-channel\]/);
  });
});
