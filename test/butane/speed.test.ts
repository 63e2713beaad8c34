/**
 * A 10,000-node fleet must translate in seconds: a typical node config (15 files, 3 units)
 * has to take well under a millisecond once warm. The limit here is loose (shared CI cores);
 * each iteration uses distinct file contents so the inline data-URL cache cannot hide the
 * real cost.
 */
import { describe, expect, it } from 'vitest';
import { translateButane } from '../../src/butane/index.ts';

function nodeConfig(n: number): string {
  let src = 'variant: flatcar\nversion: 1.0.0\nstorage:\n  directories:\n    - path: /opt/bin\n      mode: 0755\n  files:\n';
  for (let i = 0; i < 14; i++) {
    src += `    - path: /etc/kindling/file-${i}.conf\n      mode: 0644\n      contents:\n        inline: |\n          # node ${n} file ${i}\n          key=value-${i}-${n}\n          {"json": ${i}, "node": "n${n}", "x": [1,2,3]}\n`;
  }
  src += `    - path: /opt/bin/flanneld\n      mode: 0755\n      contents:\n        source: https://example.com/flanneld\n        verification:\n          hash: sha512-${'ab'.repeat(64)}\n`;
  src += 'systemd:\n  units:\n';
  for (let i = 0; i < 3; i++) {
    src += `    - name: u${i}.service\n      enabled: true\n      contents: |\n        [Unit]\n        Description=unit ${i} of node ${n}\n        [Service]\n        ExecStart=/bin/true\n        [Install]\n        WantedBy=multi-user.target\n`;
  }
  return src;
}

describe('translateButane speed', () => {
  it('translates a typical node config in well under a few milliseconds after warm-up', () => {
    for (let i = 0; i < 200; i++) expect(translateButane(nodeConfig(i)).ok).toBe(true);
    const runs = 500;
    const inputs = Array.from({ length: runs }, (_v, i) => nodeConfig(1000 + i));
    // CPU time, not wall time: the 2 CI cores are shared with other test workers.
    const before = process.cpuUsage();
    for (const src of inputs) translateButane(src);
    const used = process.cpuUsage(before);
    const perConfig = (used.user + used.system) / 1000 / runs;
    console.log(`butane: ${perConfig.toFixed(3)} ms CPU per typical node config (unique contents)`);
    expect(perConfig).toBeLessThan(3);
  });
});
