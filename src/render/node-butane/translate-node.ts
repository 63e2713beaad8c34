/**
 * config.bu → config.ign for a node, through kindling's Butane translator. A generated config that
 * fails translation or Ignition validation is a build error at the node's profile line (never a
 * silently written file); the Butane position is named so the cause can be found in config.bu.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { ResolvedNode } from '../../resolve/project-model.ts';

export function translateNodeButane(_text: string, _node: ResolvedNode): { ignition?: string; diagnostics: Diagnostic[] } {
  // Wired to the translator in render/butane once it lands (issue 3).
  return { diagnostics: [] };
}
