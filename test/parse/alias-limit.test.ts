/**
 * Aliases may not expand a document far beyond its written size (a "billion laughs" alias bomb):
 * the profile parser stops at yaml.v3's limit, fast, at the alias that crossed it.
 */
import { describe, expect, it } from 'vitest';
import { parseProfileFile } from '../../src/parse/parse-document.ts';
import { loadProject } from '../../src/build/load-project.ts';
import { exampleProject, replaceOnce } from '../helpers/project.ts';

/** Nine levels of nine aliases each: 9^9 (387 million) strings once expanded. */
export function aliasBomb(indent = ''): string {
  const lines = [`${indent}l0: &l0 [${Array(9).fill('lol').join(', ')}]`];
  for (let level = 1; level <= 9; level++) lines.push(`${indent}l${level}: &l${level} [${Array(9).fill(`*l${level - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

/**
 * A guard against a hang, not a speed measurement (bench/ measures speed): an unbounded expansion
 * of these documents runs for minutes and exhausts memory, while a loaded CI machine may take a
 * second or two for the bounded one.
 */
const HANG = 10_000;

describe('alias expansion', () => {
  it('stops a nine-level alias bomb in well under a second, at the alias that crossed the limit', () => {
    const started = performance.now();
    const { documents, diagnostics } = parseProfileFile({ path: 'bomb.yaml', text: `kind: Node\n${aliasBomb()}` });
    expect(performance.now() - started).toBeLessThan(HANG);
    expect(documents).toEqual([]);
    expect(diagnostics.map((d) => [d.code, d.severity, d.location])).toEqual([['yaml/excessive-aliasing', 'error', { file: 'bomb.yaml', line: 5, column: 15 }]]);
  });

  it('expands a document that aliases a small block 5,000 times, in linear time', () => {
    const lines = ['shared: &s { os: fcos, flannel: { ipMasq: true } }'];
    for (let i = 0; i < 5000; i++) lines.push(`k${i}: [x${i}, *s]`);
    const started = performance.now();
    const { documents, diagnostics } = parseProfileFile({ path: 'many.yaml', text: `${lines.join('\n')}\n` });
    expect(performance.now() - started).toBeLessThan(HANG);
    expect(diagnostics).toEqual([]);
    expect((documents[0]?.value as Record<string, unknown>)['k4999']).toEqual(['x4999', { os: 'fcos', flannel: { ipMasq: true } }]);
  });

  it('reports the bomb in a node profile of the example project at its place', () => {
    const dir = exampleProject({ 'nodes/nodes.yaml': replaceOnce('macs: [52:54:00:00:00:22]\n', `macs: [52:54:00:00:00:22]\nx-bomb:\n${aliasBomb('  ')}`) });
    const started = performance.now();
    const { diagnostics } = loadProject(dir, { env: {} });
    expect(performance.now() - started).toBeLessThan(HANG);
    expect(diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.location?.file.replace(/.*profiles\//, ''), d.location?.line, d.location?.column])).toEqual([
      ['yaml/excessive-aliasing', 'nodes/nodes.yaml', 32, 27],
    ]);
  });
});
