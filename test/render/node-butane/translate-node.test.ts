import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/build/load-project.ts';
import { planNode } from '../../../src/plan/plan-node.ts';
import { butaneDocument, butaneText } from '../../../src/render/node-butane/butane-config.ts';
import { BuildContext } from '../../../src/build/build-context.ts';
import { TranslationMemory } from '../../../src/butane/translation-memory.ts';
import { translateButane, translateButaneDocument } from '../../../src/butane/index.ts';
import { decodeConfig } from '../../../src/butane/decode.ts';
import { unusedKeyWarnings } from '../../../src/butane/unused-keys.ts';
import { objectToTree } from '../../helpers/object-tree.ts';
import { schemaFor } from '../../../src/butane/schema.ts';
import { lookupVariant } from '../../../src/butane/variants.ts';
import { exampleProject, replaceOnce, workerRoleEndingInBlankLines } from '../../helpers/project.ts';

/**
 * The build translates each node's Butane document as it is, without the YAML tree and decoder the
 * text path goes through. That is only right while the document already is what the decoder makes
 * of it, and while both paths give the same Ignition JSON: checked here for every Ignition node of
 * the example, with the spec 3.4.0 variants and awkward file and unit texts.
 */
const dir = exampleProject({
  'roles/worker.yaml': workerRoleEndingInBlankLines('  worker\\n\\n\\nrole <&> \\"quoted\\" \\u2028'),
  'nodes/nodes.yaml': (text) =>
    replaceOnce('name: cp-1\n', 'name: cp-1\nignition:\n  version: 3.4.0\n')(text) +
    '---\napiVersion: kindling/v1\nkind: Node\nname: fcos-34\nrole: worker\nos: fcos\nip: 10.0.0.40\nignition:\n  version: 3.4.0\n' +
    '---\napiVersion: kindling/v1\nkind: Node\nname: fcos-33\nrole: worker\nos: fcos\nip: 10.0.0.41\n',
});
const { project } = loadProject(dir, { env: {} });
const nodes = project!.nodes.filter((n) => n.os !== 'cloud-init');

describe('translateButaneDocument', () => {
  it('covers flatcar and fcos at both Ignition spec versions', () => {
    const variants = new Set(nodes.map((n) => `${n.os} ${n.ignitionVersion}`));
    expect([...variants].sort()).toEqual(['fcos 3.3.0', 'fcos 3.4.0', 'flatcar 3.4.0']);
    expect(nodes.filter((n) => n.os === 'fcos' && n.ignitionVersion === '3.3.0').length).toBe(2);
  });

  for (const node of nodes) {
    it(`takes ${node.name}'s document as the decoder would read it, and gives the JSON of its config.bu`, () => {
      const context = new BuildContext();
      const memory = new TranslationMemory((item) => context.isShared(item));
      const plan = planNode(project!, node, context).plan!;
      const document = butaneDocument(plan, context);
      const target = lookupVariant(String(document['variant']), String(document['version']));
      if (target?.status !== 'implemented') throw new Error(`not an implemented variant: ${String(document['variant'])} ${String(document['version'])}`);
      const tree = objectToTree(document);
      const schema = schemaFor(target.base, target.fcos);
      const decoded = decodeConfig(tree, schema, target.goPackages);
      if (decoded.fatal !== undefined) throw new Error(decoded.fatal);
      expect(decoded.typeErrors).toEqual([]);
      expect(unusedKeyWarnings(tree, schema, decoded.value)).toEqual([]);
      expect(decoded.value).toEqual(document);

      const fromText = translateButane(butaneText(plan, document));
      expect(fromText.report).toEqual([]);
      // Without reuse, then twice with it: the first translates shared entries, the second reuses them.
      for (const shared of [undefined, memory, memory]) {
        const direct = translateButaneDocument(document, shared);
        expect(direct.ok).toBe(true);
        expect(direct.report).toEqual([]);
        expect(direct.output).toBe(fromText.output);
      }
    });
  }

  it("reuses a shared entry's frozen translation for the next node of the same variant and version, and only that", () => {
    const context = new BuildContext();
    const memory = new TranslationMemory((item) => context.isShared(item));
    const [first, second] = ['worker-1', 'fcos-33'].map((name) => {
      const plan = planNode(project!, nodes.find((n) => n.name === name)!, context).plan!;
      return translateButaneDocument(butaneDocument(plan, context), memory).config as { storage: { files: { path: string }[] } };
    });
    const sharedFile = (config: typeof first) => config!.storage.files.find((f) => f.path === '/etc/kube-flannel/net-conf.json')!;
    const hostname = (config: typeof first) => config!.storage.files.find((f) => f.path === '/etc/hostname')!;
    expect(sharedFile(second)).toBe(sharedFile(first));
    expect(Object.isFrozen(sharedFile(first))).toBe(true);
    // Made per node: translated for each node, never frozen or shared.
    expect(hostname(second)).not.toBe(hostname(first));
    expect(Object.isFrozen(hostname(second))).toBe(false);
  });

  it('refuses a variant or version it has no translator for', () => {
    const result = translateButaneDocument({ variant: 'fcos', version: '1.0.0' });
    expect(result.ok).toBe(false);
    expect(result.fatal).toContain('No translator exists for variant fcos with version 1.0.0');
  });
});
