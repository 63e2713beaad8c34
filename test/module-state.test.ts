import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { sourceFiles } from './helpers/source-files.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * What one build remembers between its nodes lives in its BuildContext (src/build/build-context.ts), so
 * no build can see another's entries. The stages themselves hold no state: every module-level
 * value in src/plan, src/render, src/butane, src/ignition, src/pack, the build's own files in src/build/ and src/ itself is either plainly
 * immutable (a text, a number, a function, a regular expression without a lastIndex, a frozen
 * object, the description of a context table) or listed below with the reason it is no state.
 */
const REPO = join(import.meta.dirname, '..');
const SCANNED = ['src/plan', 'src/render', 'src/butane', 'src/ignition', 'src/pack'];

const ALLOWED: readonly { readonly reason: string; readonly names: readonly string[] }[] = [
  {
    reason: 'a lookup table written out in the source and only ever read (never added to or changed)',
    names: [
      'src/plan/cloud-init-fetch.ts:FETCH',
      'src/plan/modules/cni.ts:CNI_PATHS',
      'src/plan/modules/flannel.ts:FLANNEL_PATHS',
      'src/plan/modules/flannel.ts:BACKEND_KEYS',
      'src/plan/plan-node.ts:NODE_OWN_FACTS',
      'src/plan/reserved-entries.ts:OSES',
      'src/butane/decode.ts:YAML11_TRUE',
      'src/butane/decode.ts:YAML11_FALSE',
      'src/butane/yaml-resolve.ts:MAPPED',
      'src/butane/yaml-resolve.ts:RESOLVABLE',
      'src/butane/go-json.ts:GO_FORM',
      'src/butane/schema.ts:nodeFields',
      'src/butane/schema.ts:DEFS',
      'src/butane/translate.ts:RESERVED_PARTITION_NUMBERS',
      'src/butane/translate.ts:FILE_ORDER',
      'src/butane/translate.ts:LINK_ORDER',
      'src/butane/validate-butane.ts:BOOT_LAYOUTS',
      'src/butane/validate-butane.ts:CHECKS',
      'src/butane/validate-butane.ts:FCOS_V6_CHECKS',
      'src/butane/fcos.ts:ROOT_LUKS',
      'src/butane/schema.ts:VARIANT_STRUCTS',
      'src/butane/translate.ts:NODE_LISTS',
      'src/render/cloud-init/cloud-config.ts:DUMP_OPTIONS',
      'src/render/cluster/rbac.ts:FLANNEL_RBAC_DEFAULTS',
      'src/render/cluster/rbac.ts:LABELS',
      'src/ignition/data-url.ts:TSPECIALS',
      'src/ignition/data-url.ts:URL_EXCLUDED',
      'src/ignition/data-url.ts:DISCRETE',
      'src/ignition/data-url.ts:COMPOSITE',
      'src/ignition/resource-rules.ts:HASH_HEX_LENGTH',
      'src/ignition/storage-rules.ts:LABEL_LIMITS',
      'src/ignition/storage-rules.ts:RAID_LEVELS',
      'src/ignition/systemd-rules.ts:UNIT_EXTENSIONS',
      'src/render/pxe/boot-assets.ts:DEFAULT_BOOT_ASSETS',
      'src/pack/ignition-initrd.ts:IGNITION_INITRD_PATH',
      'src/pack/iso9660-fields.ts:EPOCH_RECORD_DATE',
      'src/pack/stored-gzip.ts:HEADER',
    ],
  },
  {
    reason: 'constant bytes, filled when the module loads and only read (copied into images, compared against)',
    names: [
      'src/butane/data-url.ts:KEEP',
      'src/pack/cpio.ts:EMPTY',
      'src/pack/iso9660.ts:SELF_ID',
      'src/pack/iso9660.ts:PARENT_ID',
      'src/pack/iso9660.ts:ZERO_SECTOR',
    ],
  },
  {
    reason: 'a global regular expression used only by String.prototype.replace, which starts at 0 and resets lastIndex',
    names: ['src/butane/go-json.ts:GO_DIFFERENCES', 'src/render/dump-yaml.ts:MARKED'],
  },
  {
    reason: 'a text encoder or decoder used without streaming, which keeps nothing between calls',
    names: [
      'src/butane/translate.ts:utf8Decoder',
      'src/butane/translation-memory.ts:utf8',
      'src/ignition/systemd-unit.ts:decoder',
      'src/pack/cpio.ts:encoder',
      'src/pack/iso9660.ts:encoder',
      'src/pack/rock-ridge.ts:encoder',
    ],
  },
  {
    reason: "a module loader: what it loads is cached by Node's module system, from files that ship with kindling",
    names: ['src/ignition/schema-check.ts:requireSchema', 'src/generated-modules.ts:requireFromRoot'],
  },
  {
    reason: 'code compiled from a file that ships with kindling (the Ignition schemas, helpers registered at load): the same for every build, and no build input reaches it',
    names: ['src/ignition/schema-check.ts:compiled', 'src/plan/templates.ts:hbs'],
  },
];

interface ModuleValue {
  /** file:name */
  readonly id: string;
  readonly line: number;
  readonly text: string;
}

const ARITHMETIC = new Set([
  ts.SyntaxKind.PlusToken, ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.AsteriskAsteriskToken, ts.SyntaxKind.PercentToken, ts.SyntaxKind.BarToken, ts.SyntaxKind.AmpersandToken,
  ts.SyntaxKind.LessThanLessThanToken, ts.SyntaxKind.GreaterThanGreaterThanToken,
]);

/** Initializers that cannot hold state: nothing a build does can change them. */
function plainlyImmutable(init: ts.Expression): boolean {
  if (ts.isAsExpression(init) || ts.isParenthesizedExpression(init) || ts.isSatisfiesExpression(init)) return plainlyImmutable(init.expression);
  if (ts.isStringLiteral(init) || ts.isNumericLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init)) return true;
  // A template always makes a string; arithmetic always makes a number or a string.
  if (ts.isTemplateExpression(init)) return true;
  if (ts.isBinaryExpression(init)) return ARITHMETIC.has(init.operatorToken.kind);
  if (ts.isPrefixUnaryExpression(init)) return plainlyImmutable(init.operand);
  if (ts.isIdentifier(init)) return /^[A-Z][A-Z0-9_]*$/.test(init.text); // another constant of the same module (checked itself)
  if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return true;
  // lastIndex only matters to a global or sticky expression.
  if (ts.isRegularExpressionLiteral(init)) return !/\/[a-z]*[gy][a-z]*$/.test(init.text);
  if (ts.isCallExpression(init)) {
    const callee = init.expression.getText();
    return callee === 'Object.freeze' || callee === 'contextTable' || callee === 'memoTable' || callee.startsWith('Math.');
  }
  return false;
}

/** Every module-level value of the scanned files that is not plainly immutable, and every `let`/`var`. */
function moduleValues(files: readonly string[]): { doubtful: ModuleValue[]; variables: ModuleValue[]; staticFields: ModuleValue[] } {
  const doubtful: ModuleValue[] = [];
  const variables: ModuleValue[] = [];
  const staticFields: ModuleValue[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const at = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    for (const statement of source.statements) {
      if (ts.isClassDeclaration(statement)) {
        for (const member of statement.members) {
          if (ts.isPropertyDeclaration(member) && member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) {
            staticFields.push({ id: `${relative(REPO, file)}:${statement.name?.text}.${member.name.getText(source)}`, line: at(member), text: member.getText(source) });
          }
        }
      }
      if (!ts.isVariableStatement(statement)) continue;
      // `declare const` names a value the bundler or the runtime provides; it holds nothing of the module's own.
      if (statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) continue;
      const constant = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
      for (const declaration of statement.declarationList.declarations) {
        const value = { id: `${relative(REPO, file)}:${declaration.name.getText(source)}`, line: at(declaration), text: declaration.getText(source).split('\n')[0]! };
        if (!constant) variables.push(value);
        else if (!declaration.initializer || !plainlyImmutable(declaration.initializer)) doubtful.push(value);
      }
    }
  }
  return { doubtful, variables, staticFields };
}

const files = [...SCANNED.flatMap((dir) => sourceFiles(join(REPO, dir))), ...['src', 'src/build'].flatMap((dir) => readdirSync(join(REPO, dir)).filter((n) => n.endsWith('.ts')).map((n) => join(REPO, dir, n)))];

describe('module-level state in the build stages', () => {
  const { doubtful, variables, staticFields } = moduleValues(files);
  const allowed = new Set(ALLOWED.flatMap((group) => group.names));

  it('scans the stages and finds their constant tables', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(doubtful.map((v) => v.id)).toContain('src/butane/schema.ts:DEFS');
  });

  it('has no module-level let or var in plan/, render/, pack/ or the build files', () => {
    expect(variables.map((v) => `${v.id} (line ${v.line}): ${v.text}`)).toEqual([]);
  });

  it('has no static class fields there (a class-wide table is module state too)', () => {
    expect(staticFields.map((v) => `${v.id} (line ${v.line}): ${v.text}`)).toEqual([]);
  });

  it('holds no module-level value there that could be state, other than the listed constants', () => {
    expect(doubtful.filter((v) => !allowed.has(v.id)).map((v) => `${v.id} (line ${v.line}): ${v.text}`)).toEqual([]);
  });

  it('lists only constants that still exist, so the list cannot outlive them', () => {
    const found = new Set(doubtful.map((v) => v.id));
    expect([...allowed].filter((id) => !found.has(id))).toEqual([]);
  });
});
