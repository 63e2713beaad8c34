/** What the profile adds beyond kindling's modules: users, extra files and extra units. */
import type { PlanBuilder } from '../node-plan.ts';

export function addProfileExtras(plan: PlanBuilder): void {
  const { node } = plan;
  for (const user of node.users) {
    plan.users.push({ name: user.name, sshAuthorizedKeys: user.sshAuthorizedKeys, groups: user.groups, ...(user.shell ? { shell: user.shell } : {}) });
  }
  for (const file of node.files) {
    plan.files.push({ path: file.path, mode: file.mode, owner: file.owner, group: file.group, contents: file.contents, source: 'profile', origin: file.origin });
  }
  for (const unit of node.units) {
    plan.units.push({
      name: unit.name,
      ...(unit.contents !== undefined ? { contents: unit.contents } : {}),
      ...(unit.enabled !== undefined ? { enabled: unit.enabled } : {}),
      ...(unit.mask !== undefined ? { mask: unit.mask } : {}),
      dropins: unit.dropins,
      needs: [],
      source: 'profile',
      origin: unit.origin,
    });
  }
}
