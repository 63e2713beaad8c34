import { Command, Option } from '@commander-js/extra-typings';
import { loadProject } from '../../build/load-project.ts';
import { planNode } from '../../plan/plan-node.ts';
import { describePlan, planJson } from '../describe-plan.ts';
import { exitCodeFor, printDiagnostics, type Io } from '../report.ts';
import { hasErrors } from '../../diagnostics/diagnostic.ts';
import { diagnosticsJson } from '../../diagnostics/format.ts';

export function planCommand(io: Io, setExit: (code: number) => void) {
  return new Command('plan')
    .summary("show what a node gets, before any target format")
    .description("Show a node's plan, independent of cloud-init or Ignition: files with modes, owners and sources, directories, systemd units, users. Secret contents are masked.")
    .argument('<node>', 'node name')
    .argument('[dir]', 'profile directory', 'profiles')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((nodeName, dir, options) => {
      const loaded = loadProject(dir ?? 'profiles', { nodes: [nodeName] });
      const diagnostics = [...loaded.diagnostics];
      const node = loaded.project?.nodes.find((n) => n.name === nodeName);
      const planned = loaded.project && node ? planNode(loaded.project, node) : undefined;
      if (planned) diagnostics.push(...planned.diagnostics);
      if (options.format === 'json') {
        io.stdout(`${JSON.stringify({ ok: !hasErrors(diagnostics), plan: planned?.plan ? planJson(planned.plan) : null, diagnostics: diagnosticsJson(diagnostics) }, null, 2)}\n`);
      } else {
        printDiagnostics(io, diagnostics);
        if (planned?.plan) io.stdout(describePlan(planned.plan));
      }
      setExit(exitCodeFor(diagnostics, false));
    });
}
