/**
 * kindling's own units and files are reserved on every OS: a profile entry that would replace,
 * adjust or shadow one of them is an error at its profile line, whether or not the node's own OS
 * has that entry (a role means the same on every target). Each case puts the same entry on all
 * three example nodes (cp-1 flatcar, worker-1 fcos, worker-2 cloud-init) and expects one error per node.
 */
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/build/load-project.ts';
import { compileProject } from '../../src/build/build-project.ts';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.ts';
import { exampleProject, replaceOnce } from '../helpers/project.ts';

const N = 'nodes/nodes.yaml';
const MACS = ['macs: [52:54:00:00:00:11]\n', 'macs: [52:54:00:00:00:21]\n', 'macs: [52:54:00:00:00:22]\n'];
/** The line of each node's `macs`, the last line of its document in the example. */
const MACS_LINE = [9, 18, 27];

/** Appends `block` (YAML lines) to every node document. */
function onEveryNode(block: string): (text: string) => string {
  return (text) => MACS.reduce((t, macs) => replaceOnce(macs, macs + block)(t), text);
}

/** Where the first entry of `block` lands in each node document: the line after its `macs`, column 5 (`  - `). */
function entryOnEveryNode(block: string, code: string): { code: string; file: string; line: number; column: number }[] {
  const lines = block.split('\n').length - 1;
  return MACS_LINE.map((line, i) => ({ code, file: N, line: line + 1 + i * lines + 1, column: 5 }));
}

function errorsOf(edits: Record<string, (text: string) => string>): { diagnostics: Diagnostic[]; errors: { code: string; file?: string; line?: number; column?: number }[] } {
  const loaded = loadProject(exampleProject(edits), { env: {} });
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const diagnostics = compileProject(loaded.project!).diagnostics;
  const errors = diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => ({ code: d.code, file: d.location?.file.replace(/^.*profiles\//, ''), line: d.location?.line, column: d.location?.column }));
  return { diagnostics, errors };
}

const cases: { name: string; block: string; code: string; message: RegExp }[] = [
  {
    name: 'rejects a profile unit named like the cloud-init fetch unit, which checks every sha512',
    block: 'units:\n  - name: kindling-fetch.service\n    enabled: true\n    contents: "[Service]\\nExecStart=/bin/true\\n"\n',
    code: 'file/duplicate-path',
    message: /kindling-fetch\.service is written by kindling/,
  },
  {
    name: 'rejects drop-ins on cni-plugins-install.service, whose hash check a drop-in could replace',
    block: 'units:\n  - name: cni-plugins-install.service\n    dropins: [{ name: 20-x.conf, contents: "[Service]\\nExecStart=\\n" }]\n',
    code: 'file/duplicate-path',
    message: /cni-plugins-install\.service is written by kindling/,
  },
  {
    name: "rejects a flanneld.service drop-in named like kindling's own fetch drop-in",
    block: 'units:\n  - name: flanneld.service\n    dropins: [{ name: 10-kindling-fetch.conf, contents: "[Unit]\\n" }]\n',
    code: 'file/duplicate-path',
    message: /10-kindling-fetch\.conf/,
  },
  {
    name: 'rejects a profile file at the path of a unit kindling writes',
    block: 'files:\n  - { path: /etc/systemd/system/kindling-fetch.service, contents: { inline: "[Service]\\n" } }\n',
    code: 'file/duplicate-path',
    message: /\/etc\/systemd\/system\/kindling-fetch\.service is written by kindling/,
  },
  {
    name: 'rejects a profile file at the path of a drop-in kindling writes',
    block: 'files:\n  - { path: /etc/systemd/system/flanneld.service.d/10-kindling-fetch.conf, contents: { inline: "[Unit]\\n" } }\n',
    code: 'file/duplicate-path',
    message: /10-kindling-fetch\.conf is written by kindling/,
  },
  {
    name: 'rejects a profile file at the script the fetch unit runs',
    block: 'files:\n  - { path: /usr/local/lib/kindling/fetch-artifacts.sh, contents: { inline: "exit 0\\n" } }\n',
    code: 'file/duplicate-path',
    message: /fetch-artifacts\.sh is written by kindling/,
  },
  {
    name: 'rejects a profile file at a folder kindling writes into (/usr/local/bin)',
    block: 'files:\n  - { path: /usr/local/bin, contents: { inline: "x" } }\n',
    code: 'file/reserved-path',
    message: /kindling writes into the folder \/usr\/local\/bin/,
  },
  {
    name: 'rejects a profile file at /etc/systemd/system',
    block: 'files:\n  - { path: /etc/systemd/system, contents: { inline: "x" } }\n',
    code: 'file/reserved-path',
    message: /kindling writes into the folder \/etc\/systemd\/system/,
  },
  {
    name: 'rejects a profile file at /',
    block: "files:\n  - { path: '/', contents: { inline: x } }\n",
    code: 'file/reserved-path',
    message: /kindling writes into the folder \//,
  },
  {
    name: 'rejects a profile file below a file kindling writes',
    block: 'files:\n  - { path: /opt/bin/flanneld/extra, contents: { inline: "x" } }\n',
    code: 'file/reserved-path',
    message: /\/opt\/bin\/flanneld is a file kindling writes/,
  },
];

describe("kindling's own units and files, on every OS", () => {
  for (const c of cases) {
    it(c.name, () => {
      const { diagnostics, errors } = errorsOf({ [N]: onEveryNode(c.block) });
      expect(errors).toEqual(entryOnEveryNode(c.block, c.code));
      for (const d of diagnostics.filter((x) => x.severity === 'error')) expect(d.message).toMatch(c.message);
    });
  }

  it('reports a role that replaces the fetch unit once, at the role, though its nodes run fcos and cloud-init', () => {
    const { errors } = errorsOf({ 'roles/worker.yaml': replaceOnce('name: kindling-motd.service', 'name: kindling-fetch.service') });
    expect(errors).toEqual([{ code: 'file/duplicate-path', file: 'roles/worker.yaml', line: 12, column: 5 }]);
  });

  it('still takes drop-ins on flanneld.service, and files inside the folders kindling writes into, on every OS', () => {
    const block = 'units:\n  - name: flanneld.service\n    dropins: [{ name: 20-extra.conf, contents: "[Service]\\nEnvironment=X=1\\n" }]\nfiles:\n  - { path: /opt/cni/bin/extra-plugin, contents: { inline: "x" } }\n';
    const rejected = errorsOf({ [N]: onEveryNode(block.replace('20-extra.conf', '10-kindling-fetch.conf')) });
    expect(rejected.errors).toEqual(entryOnEveryNode(block, 'file/duplicate-path'));

    const loaded = loadProject(exampleProject({ [N]: onEveryNode(block) }), { env: {} });
    const { builds, diagnostics } = compileProject(loaded.project!);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(builds.map((b) => b.node.os)).toEqual(['flatcar', 'fcos', 'cloud-init']);
    for (const build of builds) {
      expect(build.plan.units.find((u) => u.name === 'flanneld.service')!.dropins.map((d) => d.name), build.node.name).toEqual(['20-extra.conf']);
      expect(build.plan.files.some((f) => f.path === '/opt/cni/bin/extra-plugin'), build.node.name).toBe(true);
    }
  });
});
