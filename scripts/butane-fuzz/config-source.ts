/** Config number `i` of the run with `seed`: a target, a kind, a generated tree, its YAML text. */
import { Rng } from './rng.ts';
import { TARGETS } from './versions.ts';
import { generateConfig } from './generate.ts';
import { emitYaml } from './emit.ts';
import { mutateText, mutateTree } from './mutate.ts';

export type Kind = 'valid' | 'mutated' | 'yaml-edge' | 'text-mutated';

export function makeConfig(seed: number, i: number): { source: string; kind: Kind; target: string } {
  const r = new Rng(seed * 1_000_003 + i);
  const t = r.pick(TARGETS);
  const kind: Kind = r.pick(['valid', 'valid', 'valid', 'valid', 'mutated', 'mutated', 'mutated', 'yaml-edge', 'yaml-edge', 'text-mutated']);
  const doc = generateConfig(r, t, kind === 'mutated' ? 0.15 : kind === 'valid' ? 0 : 0.03);
  if (kind === 'mutated' && r.chance(0.5)) mutateTree(r, doc);
  let source = emitYaml(r, doc, { exotic: kind === 'yaml-edge' || kind === 'text-mutated' || (kind === 'mutated' && r.chance(0.3)) });
  if (kind === 'text-mutated') source = mutateText(r, source);
  return { source, kind, target: `${t.variant} ${t.version}` };
}

