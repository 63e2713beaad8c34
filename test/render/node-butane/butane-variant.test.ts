import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/build/load-project.ts';
import { planNode } from '../../../src/plan/plan-node.ts';
import { butaneDocument } from '../../../src/render/node-butane/butane-config.ts';
import { BuildContext } from '../../../src/build/build-context.ts';
import { translateButaneDocument } from '../../../src/butane/index.ts';
import { exampleProject } from '../../helpers/project.ts';

/** Each node's config.bu names the Butane version that produces its Ignition spec. */
const dir = exampleProject({
  'nodes/nodes.yaml': (text) =>
    text +
    '---\napiVersion: kindling/v1\nkind: Node\nname: fcos-35\nrole: worker\nos: fcos\nip: 10.0.0.42\nignition:\n  version: 3.5.0\n' +
    '---\napiVersion: kindling/v1\nkind: Node\nname: fcos-34\nrole: worker\nos: fcos\nip: 10.0.0.40\nignition:\n  version: 3.4.0\n' +
    '---\napiVersion: kindling/v1\nkind: Node\nname: flatcar-34\nrole: worker\nos: flatcar\nip: 10.0.0.41\nignition:\n  version: 3.4.0\n',
});

describe('butaneDocument', () => {
  it('writes fcos 1.6.0 for an fcos node on Ignition 3.5.0, and the registry pair for each other node', () => {
    const { project, diagnostics } = loadProject(dir, { env: {} });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const got = Object.fromEntries(
      project!.nodes
        .filter((n) => n.os !== 'cloud-init')
        .map((node) => {
          const context = new BuildContext();
          const document = butaneDocument(planNode(project!, node, context).plan!, context);
          const ignition = JSON.parse(translateButaneDocument(document).output!) as { ignition: { version: string } };
          return [node.name, `${String(document['variant'])} ${String(document['version'])} -> ${ignition.ignition.version}`];
        }),
    );
    expect(got['fcos-35']).toBe('fcos 1.6.0 -> 3.5.0');
    expect(got['fcos-34']).toBe('fcos 1.5.0 -> 3.4.0');
    expect(got['flatcar-34']).toBe('flatcar 1.1.0 -> 3.4.0');
  });
});
