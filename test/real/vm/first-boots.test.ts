/**
 * Every VM boot of the suite, scheduled together two at a time (boot-lanes.ts): the cloud-init node
 * (issue 4, item 4), the Ignition nodes (issue 7), a PXE boot through `kindling serve` and a statically
 * addressed node (issue 15).
 * Each suite keeps its own test server, fixture and assertions; only the boots share the machine.
 */
import { afterAll, beforeAll } from 'vitest';
import { runInTwoLanes } from './boot-lanes.ts';
import { cloudInitBootSuite } from './cloud-init-boot.ts';
import { ignitionBootSuite } from './ignition-boot.ts';
import { pxeServeBootSuite } from './pxe-serve-boot.ts';
import { staticNetworkBootSuite } from './static-network-boot.ts';
import { ensureVmBase } from './vm-base.ts';

const suites = [cloudInitBootSuite(), ignitionBootSuite(), pxeServeBootSuite(), staticNetworkBootSuite()];

beforeAll(async () => {
  // Built once and cached; every suite reads it.
  await ensureVmBase();
  const tasks = [];
  for (const suite of suites) tasks.push(...(await suite.prepare()));
  await runInTwoLanes(tasks);
}, 3_000_000);

afterAll(async () => {
  for (const suite of suites) await suite.close();
});
