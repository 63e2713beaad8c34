/**
 * The fixture kindling project as the VMs see it: built with the harness (test/real/harness), with
 * the artifact mirror at the address the guest reaches through guestfwd, and the stand-ins served by
 * a 127.0.0.1 test server.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtNodes, kindlingBuild, writeFixtureProject } from '../harness/kindling-project.ts';
import type { BuiltNode, FixtureStandIns, FIXTURE_URLS } from '../harness/kindling-project.ts';
import { GUEST_MIRROR } from './guestfwd-relay.ts';

/** Runs `kindling build` on the fixture (mirror = the guest's view of the test server) into `work/<name>-*`. */
export async function buildFixtureForGuest(
  work: string,
  name: string,
  standIns: FixtureStandIns,
  sha512Overrides?: Partial<Record<keyof typeof FIXTURE_URLS, string>>,
): Promise<BuiltNode[]> {
  const project = join(work, `${name}-project`);
  const out = join(work, `${name}-out`);
  await writeFixtureProject({ dir: project, mirror: GUEST_MIRROR, standIns, ...(sha512Overrides ? { sha512Overrides } : {}) });
  const result = await kindlingBuild(project, out);
  if (result.code !== 0) throw new Error(`kindling build failed (${result.code}):\n${result.stdout}${result.stderr}`);
  return builtNodes(out);
}

/** A file kindling wrote for a node, failing with the node's file list when it is missing. */
export function nodeFile(node: BuiltNode, file: string): Buffer {
  if (!node.files.includes(file)) throw new Error(`kindling wrote no ${file} for ${node.name} (files: ${node.files.join(', ')})`);
  return readFileSync(join(node.dir, file));
}
