/**
 * config.bu → config.ign for a node, through kindling's Butane translator. A generated config that
 * fails translation or Ignition validation is a build error, never a silently written file. Each
 * report entry is traced back through the Butane document to the plan entry that produced it and
 * from there to the profile line (a role's unit, a node's file); entries that come from kindling's
 * own modules point at the node. The report becomes Diagnostics in diagnostics/butane-report.ts.
 */
import type { Diagnostic, SourceLocation } from '../../diagnostics/diagnostic.ts';
import type { NodePlan } from '../../plan/node-plan.ts';
import { translateButane, translateButaneDocument, type ButaneReportEntry } from '../../butane/index.ts';
import { generatedConfigDiagnostics } from '../../diagnostics/butane-report.ts';
import { sortedFiles } from './butane-config.ts';
import { BuildContext, contextTable } from '../../build/build-context.ts';
import { TranslationMemory } from '../../butane/translation-memory.ts';

/** The translator's memory for this build: the Butane items the build shares are its shared inputs. */
const TRANSLATION_MEMORY = contextTable('Butane translation memory', (context) => new TranslationMemory((item) => context.isShared(item)));

export function translateNodeButane(
  document: Record<string, unknown>,
  text: string,
  plan: NodePlan,
  context = new BuildContext(),
): { ignition?: string; diagnostics: Diagnostic[] } {
  const node = plan.node;
  // The in-memory document translates without re-parsing config.bu; only a config with problems
  // is translated again from its text, so that positions point into config.bu.
  const fast = translateButaneDocument(document, context.table(TRANSLATION_MEMORY));
  const result = fast.ok && fast.report.length === 0 ? fast : translateButane(text);
  const diagnostics = generatedConfigDiagnostics(result, { name: node.name, origin: node.origin, profileLineOf: (entry) => originOf(entry, plan) });
  if (!result.ok || result.output === undefined) return { diagnostics };
  return { ignition: result.output, diagnostics };
}

/** The profile line behind a Butane path such as ['systemd', 'units', 3, 'contents']. */
function originOf(entry: ButaneReportEntry, plan: NodePlan): SourceLocation | undefined {
  const [section, list, index] = entry.path ?? [];
  if (typeof index !== 'number') return undefined;
  if (section === 'systemd' && list === 'units') return plan.units[index]?.origin;
  if (section === 'storage' && list === 'files') return sortedFiles(plan)[index]?.origin;
  return undefined;
}
