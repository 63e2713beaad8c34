import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { sourceFiles } from './helpers/source-files.ts';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * A cycle of value imports makes one module of the cycle run before the other has defined its
 * exports, so what it reads at load time depends on which module was imported first. Type-only
 * imports vanish when compiled and cannot form such a cycle; `import('...')` runs later, when the
 * graph is loaded, so neither counts. Everything else that names a relative module does: an
 * import with at least one value or none at all, and `export ... from`.
 */
const REPO = join(import.meta.dirname, '..');
const SRC = join(REPO, 'src');

function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const targets: string[] = [];
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined;
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) specifier = statement.moduleSpecifier;
    if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) specifier = statement.moduleSpecifier;
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith('.')) targets.push(resolve(dirname(file), specifier.text));
  }
  return targets;
}

/** The strongly connected components with more than one module (or a module importing itself), by Tarjan's algorithm. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.map((m) => relative(REPO, m)).sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('the import graph of src/', () => {
  const graph = new Map(sourceFiles(SRC).map((file) => [file, valueImports(file)] as const));

  it('reads the value imports of every module', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get(join(SRC, 'validate/validate-profile.ts'))).toContain(join(SRC, 'validate/check-nodes.ts'));
    const missing = [...graph.values()].flat().filter((target) => !graph.has(target));
    expect(missing.map((m) => relative(REPO, m))).toEqual([]);
  });

  it('has no cycle of value imports', () => {
    expect(cycles(graph)).toEqual([]);
  });
});
