import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { sourceFiles } from '../helpers/source-files.ts';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The Butane translator and the Ignition validator are libraries of their own: src/butane may
 * use itself and src/ignition, src/ignition only itself, and neither anything else of kindling.
 * Every module specifier counts, type-only and dynamic imports too, since any of them ties the
 * library to kindling's code. Packages (js-yaml, ajv) and Node's modules are allowed.
 */
const REPO = join(import.meta.dirname, '../..');

/** Every relative module a file names: imports, re-exports, `import type`, `import('...')` and `require('...')`. */
function relativeSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    let specifier: ts.Expression | undefined;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) specifier = node.moduleSpecifier;
    else if (ts.isCallExpression(node) && node.arguments.length > 0 && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && /^require/i.test(node.expression.text)))) {
      specifier = node.arguments[0];
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specifier = node.argument.literal;
    }
    if (specifier && (ts.isStringLiteral(specifier) || ts.isNoSubstitutionTemplateLiteral(specifier)) && specifier.text.startsWith('.')) found.push(specifier.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The imports of the library at `folder` that leave the folders it may use, as "file -> target". */
function importsOutside(folder: string, allowed: readonly string[]): string[] {
  const roots = allowed.map((a) => join(REPO, a) + sep);
  return sourceFiles(join(REPO, folder)).flatMap((file) =>
    relativeSpecifiers(file)
      .map((spec) => resolve(dirname(file), spec))
      // Data files shipped with the package (the Ignition JSON Schemas, precompiled validators) are not kindling code.
      .filter((target) => target.endsWith('.ts') && !roots.some((root) => target.startsWith(root)))
      .map((target) => `${relative(REPO, file)} -> ${relative(REPO, target)}`),
  );
}

describe('the standalone libraries', () => {
  it('finds the modules of both libraries', () => {
    expect(sourceFiles(join(REPO, 'src/butane')).length).toBeGreaterThan(10);
    expect(sourceFiles(join(REPO, 'src/ignition')).length).toBeGreaterThan(10);
  });

  it('keeps the Butane translator to src/butane and src/ignition', () => {
    expect(importsOutside('src/butane', ['src/butane', 'src/ignition'])).toEqual([]);
  });

  it('keeps the Ignition validator to src/ignition', () => {
    expect(importsOutside('src/ignition', ['src/ignition'])).toEqual([]);
  });

  it('sees an import that leaves a library', () => {
    const probe = join(REPO, 'src/ignition/validate.ts');
    const specs = relativeSpecifiers(probe);
    expect(specs).toContain('./config-rules.ts');
    expect(importsOutside('src/ignition', [])).toContain('src/ignition/validate.ts -> src/ignition/config-rules.ts');
  });
});
