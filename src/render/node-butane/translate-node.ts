/**
 * config.bu → config.ign for a node, through kindling's Butane translator. A generated config that
 * fails translation or Ignition validation is a build error at the node's profile line (never a
 * silently written file); the config.bu position is named so the cause can be found there.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { ResolvedNode } from '../../resolve/project-model.ts';
import { translateButane, translateButaneTree } from '../butane/index.ts';
import { objectToTree } from '../butane/object-tree.ts';

export function translateNodeButane(document: Record<string, unknown>, text: string, node: ResolvedNode): { ignition?: string; diagnostics: Diagnostic[] } {
  // The in-memory document translates without re-parsing config.bu; only a config with problems
  // is translated again from its text, so that positions point into config.bu.
  const fast = translateButaneTree(objectToTree(document));
  const result = fast.ok && fast.report.length === 0 ? fast : translateButane(text);
  const diagnostics: Diagnostic[] = result.report
    .filter((entry) => entry.kind !== 'info')
    .map((entry) => ({
      code: entry.kind === 'error' ? 'ignition/invalid' : 'ignition/warning',
      severity: entry.kind === 'error' ? 'error' : 'warning',
      message: `node ${node.name}: generated Ignition config: ${entry.message}${entry.line ? ` (config.bu line ${entry.line}, column ${entry.column ?? 1})` : ''}`,
      hint: 'run `kindling plan` for the node and check the profile entry that produced this part of the config',
      location: node.origin,
    }));
  if (!result.ok || result.output === undefined) {
    if (!diagnostics.some((d) => d.severity === 'error')) {
      diagnostics.push({
        code: 'butane/invalid',
        severity: 'error',
        message: `node ${node.name}: generated config.bu did not translate: ${result.fatal ?? 'unknown error'}`,
        hint: 'this is most likely a kindling bug; please report it with the profile',
        location: node.origin,
      });
    }
    return { diagnostics };
  }
  return { ignition: result.output, diagnostics };
}
