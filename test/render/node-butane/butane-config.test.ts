import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadProject } from '../../../src/build/load-project.ts';
import { planNode } from '../../../src/plan/plan-node.ts';
import { butaneDocument, butaneText } from '../../../src/render/node-butane/butane-config.ts';
import { BuildContext } from '../../../src/build/build-context.ts';
import { exampleProject, workerRoleEndingInBlankLines } from '../../helpers/project.ts';

/** config.bu read back as YAML 1.1 would (modes are octal there), to compare with the document it came from. */
function readBack(text: string): unknown {
  return parse(text, { version: '1.1' });
}

describe('butaneText', () => {
  // Unit and file contents of awkward shapes: leading spaces, blank lines inside and at the end,
  // no final newline. Per-node items take the literal-block fast path; all must read back exactly.
  const dir = exampleProject({ 'roles/worker.yaml': workerRoleEndingInBlankLines('  worker\\n\\n\\nrole') });
  const { project } = loadProject(dir, { env: {} });

  for (const node of project!.nodes.filter((n) => n.os !== 'cloud-init')) {
    it(`writes config.bu for ${node.name} that reads back as the Butane document it renders`, () => {
      const context = new BuildContext();
      const plan = planNode(project!, node, context).plan!;
      const document = butaneDocument(plan, context);
      const text = butaneText(plan, document, context);
      expect(readBack(text)).toEqual(JSON.parse(JSON.stringify(document)));
      // Twice, to go through the per-shape cache as the second node of a fleet would.
      expect(butaneText(plan, butaneDocument(plan, context), context)).toBe(text);
    });
  }
});
