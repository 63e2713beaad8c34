/**
 * Every VM boot of the suite, scheduled together two at a time (boot-lanes.ts): the cloud-init node
 * (issue 4, item 4) and the Ignition nodes (issue 7). Each suite keeps its own test server, fixture
 * and assertions; only the boots share the machine.
 */
import { afterAll, beforeAll } from 'vitest';
import { runInTwoLanes } from './boot-lanes.ts';
import { cloudInitBootSuite } from './cloud-init-boot.ts';
import { ignitionBootSuite } from './ignition-boot.ts';
import { ensureVmBase } from './vm-base.ts';

const suites = [cloudInitBootSuite(), ignitionBootSuite()];

beforeAll(async () => {
  // Built once and cached; both suites read it.
  await ensureVmBase();
  const tasks = [];
  for (const suite of suites) tasks.push(...(await suite.prepare()));
  await runInTwoLanes(tasks);
}, 3_000_000);

afterAll(async () => {
  for (const suite of suites) await suite.close();
});
