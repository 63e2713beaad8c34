/**
 * Unit files on cloud-init nodes, checked before the node boots. On Ignition nodes a unit that does
 * not parse is already an error (Ignition validates with go-systemd's reader); a cloud-init node
 * would carry the same text to systemd unchecked, so one profile could build for one target and
 * not the other. The same reader (ignition/systemd-unit.ts) holds both to one rule.
 *
 * Only units the profiles supply are read: kindling's own (flanneld.service carries the node's
 * name, so it differs on every node and would be parsed 10,000 times in a fleet) come from
 * templates that the tests verify with systemd-analyze, and on Ignition nodes with this reader too.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { NodePlan } from '../../plan/node-plan.ts';
import { readUnitContents } from '../../ignition/systemd-unit.ts';
import { BuildContext, memoTable } from '../../build/build-context.ts';

const HINT =
  'each line must be a [Section] header, Key=Value, a comment (# or ;) or blank, with a trailing backslash to continue a value; lines at most 2,048 bytes';

/** A role's units reach every node of the role: each text is read once per build. */
const UNIT_READINGS = memoTable('unit readings', 4096, readUnitContents);

export function checkCloudInitUnits(plan: NodePlan, context = new BuildContext()): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const unit of plan.units) {
    if (unit.source !== 'profile') continue;
    const texts = [
      ...(unit.contents !== undefined ? [{ what: `unit '${unit.name}'`, contents: unit.contents }] : []),
      ...unit.dropins.map((d) => ({ what: `drop-in '${d.name}' of unit '${unit.name}'`, contents: d.contents })),
    ];
    for (const { what, contents } of texts) {
      const parsed = context.memo(UNIT_READINGS, contents);
      if (parsed.ok) continue;
      // With a profile line to point at, the message leaves the node out, so a role's mistake is
      // reported once however many nodes use the role.
      diagnostics.push({
        code: 'unit/invalid-contents',
        severity: 'error',
        message: `${unit.origin ? '' : `node ${plan.node.name}: `}${what} does not parse as a unit file: ${parsed.error}`,
        hint: HINT,
        location: unit.origin ?? plan.node.origin,
      });
    }
  }
  return diagnostics;
}
