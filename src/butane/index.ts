/**
 * kindling's Butane → Ignition translator (the variants and versions of ./variants.ts),
 * following Butane's pipeline step by step so output, warnings and errors match the real
 * `butane` (v0.25.1): sniff variant/version, decode, unused keys, source checks, desugaring,
 * variant filters, Ignition validation, then Go-style JSON. Pure: local files come through the
 * injected `files` reader (see ./fs-reader.ts for the file-system one).
 */
import { readYaml, type YNode } from './yaml-tree.ts';
import { schemaFor } from './schema.ts';
import { implementedSummary, lookupVariant, type ImplementedVariant } from './variants.ts';
import { decodeConfig, decodeVersionFields } from './decode.ts';
import { unusedKeyWarnings } from './unused-keys.ts';
import { goSemverKey } from './go-semver.ts';
import { validateSource } from './validate-butane.ts';
import { inlineConfigIssues } from './inline-config.ts';
import { Translator, type TranslateIssue, type TranslateOptions } from './translate.ts';
import { goJson } from './go-json.ts';
import { formatEntry, positionOf, type ButaneReportEntry, type ReportPath, type TranslationSet } from './report.ts';
import { validateIgnition } from './ignition-validator.ts';
import { BUTANE_ERRORS as E, translationFailed, type ButaneCode, type ButaneMessage } from './errors.ts';
import { TranslationMemory } from './translation-memory.ts';
import type { LocalFileReader } from './local-files.ts';

export type { ButaneReportEntry } from './report.ts';
export type { LocalFileReader, LocalRead, TreeEntry, TreeListing } from './local-files.ts';

export interface ButaneOptions {
  /** Two-space indented output (`butane --pretty`). */
  pretty?: boolean;
  /** Fail when the report has any entry (`butane --strict`). */
  strict?: boolean;
  /** Reader for `local`, `*_local` and `trees` (`butane --files-dir`); absent = no files dir. */
  files?: LocalFileReader;
}

export interface ButaneResult {
  ok: boolean;
  /** The Ignition JSON text with its trailing newline. */
  output?: string;
  config?: unknown;
  report: ButaneReportEntry[];
  /** The last line Butane prints on failure, e.g. "Error translating config: source config is invalid". */
  fatal?: string;
  /** The code of `fatal` in the errors table (./errors.ts). */
  fatalCode?: ButaneCode;
  /** Where each piece of the output came from in the input, once the translation ran. */
  translations?: TranslationSet;
}


/** A failed translation: Butane's last line, "Error translating config: <reason>" for all but --strict. */
function fail(reason: ButaneMessage, report: ButaneReportEntry[] = []): ButaneResult {
  const fatal = reason.code === E.strictWarnings.code ? reason.message : translationFailed(reason.message);
  return { ok: false, report, fatal, fatalCode: reason.code };
}

export function translateButane(source: string, options: ButaneOptions = {}): ButaneResult {
  const read = readYaml(source);
  if (!read.ok) return fail(read.said);
  return translateButaneTree(read.root, options);
}

/** Translates an already-read Butane tree (from readYaml()); see translateButaneDocument for the build path. */
function translateButaneTree(root: YNode, options: ButaneOptions = {}): ButaneResult {
  // Butane's first pass: variant and version alone, decoded as yaml.v3 decodes them.
  const common = decodeVersionFields(root);
  if (common.fatal !== undefined) return fail(E.yamlUnmarshal.with(common.fatal));
  if (common.typeErrors.length > 0) return fail(E.versionTypeMismatch.with(common.typeErrors));
  const variant = common.value['variant'];
  if (typeof variant !== 'string' || variant === '') return fail(E.variantMissing);
  const versionKey = goSemverKey(typeof common.value['version'] === 'string' ? common.value['version'] : '');
  if (versionKey === undefined) return fail(E.versionNotSemver);
  if (variant === 'rhcos' && versionKey === '0.1.0') return fail(E.variantRhcos);
  const target = lookupVariant(variant, versionKey);
  if (target === undefined) return fail(E.noTranslator.with(variant, versionKey));
  if (target.status !== 'implemented') return fail(E.notImplemented.with(implementedSummary(), variant, versionKey));

  const schema = schemaFor(target.base, target.fcos);
  const decoded = decodeConfig(root, schema, target.goPackages);
  if (decoded.fatal !== undefined) return fail(E.yamlDecode.with(decoded.fatal));
  if (decoded.typeErrors.length > 0) return fail(E.typeMismatch.with(decoded.typeErrors));
  const report: ButaneReportEntry[] = unusedKeyWarnings(root, schema, decoded.value).map((u) => ({
    code: u.code as ButaneReportEntry['code'],
    severity: 'warning',
    message: u.message,
    path: [...u.path],
    line: u.pos.line,
    column: u.pos.column,
  }));
  return translateDecoded(target, decoded.value, report, (path) => positionOf(root, path), options);
}

/**
 * Translates a Butane document kindling generated in memory, which is already in the form the
 * decoder produces (Butane's YAML keys, numbers and booleans typed, nothing unknown): the build
 * path skips building a YAML tree and decoding it for every node of a fleet. A test holds the
 * generated documents equal to their decoded trees. Report entries carry no positions; the
 * caller translates the config.bu text again to place a problem.
 *
 * `memory`: what earlier translations by the same caller remembered, and which input items it
 * shares between documents (TranslationMemory.isSharedInput); with one, shared items translate once.
 */
export function translateButaneDocument(document: Record<string, unknown>, memory?: TranslationMemory): ButaneResult {
  const target = lookupVariant(String(document['variant']), String(document['version']));
  if (target?.status !== 'implemented') return fail(E.noTranslator.with(String(document['variant']), String(document['version'])));
  const key = `${target.variant}+${target.version}`;
  // Items shared between nodes translate once (frozen, then reused), unless the document has
  // sections whose translation rewrites other entries (mount units, trees, boot device, grub).
  const storage = document['storage'] as Record<string, unknown> | undefined;
  const rewrites = document['boot_device'] !== undefined || document['grub'] !== undefined || storage?.['filesystems'] !== undefined || storage?.['trees'] !== undefined;
  const reuse = memory !== undefined && !rewrites ? { outputs: memory.outputs(key) } : undefined;
  return translateDecoded(target, document, [], () => undefined, { ...(reuse ? { reuse } : {}), memory: memory ?? new TranslationMemory() });
}

function translateDecoded(
  target: ImplementedVariant,
  decoded: Record<string, unknown>,
  report: ButaneReportEntry[],
  positionAt: (path: ReportPath) => { line: number; column: number } | undefined,
  options: ButaneOptions & { readonly reuse?: TranslateOptions['reuse']; readonly memory?: TranslationMemory },
): ButaneResult {
  const memory = options.memory ?? new TranslationMemory();
  const schema = schemaFor(target.base, target.fcos);
  const place = (e: TranslateIssue): ButaneReportEntry => {
    const entry: ButaneReportEntry = { code: e.code, severity: e.severity, message: e.message };
    if (e.path !== undefined) entry.path = [...e.path];
    const pos = e.fixedPos ?? (e.path !== undefined ? positionAt(e.path) : undefined);
    if (pos) {
      entry.line = pos.line;
      entry.column = pos.column;
    }
    return entry;
  };
  const hasError = (list: readonly { severity: string }[]) => list.some((e) => e.severity === 'error');

  const sourceIssues = validateSource(schema, decoded, memory, target, (inline, path) =>
    inlineConfigIssues(inline, path, target.ignition, (config, version) => validateIgnition(config, version, memory.ignition)),
  );
  report.push(...sourceIssues.map(place));
  if (hasError(sourceIssues)) return fail(E.sourceInvalid, report);

  const translator = new Translator({
    schema,
    fcos: target.fcos,
    version: target.ignition,
    files: options.files,
    validateIgnition: (config, version) => validateIgnition(config, version, memory.ignition),
    memory,
    ...(options.reuse ? { reuse: options.reuse } : {}),
  });
  const config = translator.translate(decoded);
  report.push(...translator.issues.map(place));
  if (hasError(translator.issues)) return fail(E.sourceInvalid, report);

  const filtered = fieldFilters(config, target);
  const filterIssues = filtered.map((p) => place({ code: E.clevisUnsupported.code, severity: 'error', message: E.clevisUnsupported.message, path: translator.ts.toInput(p) }));
  report.push(...filterIssues);
  if (filterIssues.length > 0) return fail(E.sourceInvalid, report);

  const ignIssues = validateIgnition(config, target.ignition, memory.ignition).map((i) =>
    place({ code: `ignition/${i.code}`, severity: i.severity, message: i.message, path: translator.ts.toInput(i.path) }),
  );
  report.push(...ignIssues);
  if (hasError(ignIssues)) return fail(E.generatedInvalid, report);

  if (options.strict && report.length > 0) {
    return fail(E.strictWarnings, report);
  }
  return { ok: true, output: goJson(config, options.pretty === true, memory) + '\n', config, report, translations: translator.ts };
}

/** Flatcar forbids Clevis (its initramfs lacks it): the paths of every non-empty luks clevis. */
function fieldFilters(config: Record<string, unknown>, target: ImplementedVariant): (string | number)[][] {
  if (target.fcos) return [];
  const luks = ((config['storage'] as Record<string, unknown> | undefined)?.['luks'] as Record<string, unknown>[] | undefined) ?? [];
  const out: (string | number)[][] = [];
  luks.forEach((l, i) => {
    if (l['clevis'] !== undefined) out.push(['storage', 'luks', i, 'clevis']);
  });
  return out;
}

/** Butane's stderr text for a result: one line per report entry, then the failure line. */
export function formatButaneReport(result: ButaneResult): string {
  let out = '';
  for (const e of result.report) out += formatEntry(e) + '\n';
  if (result.fatal !== undefined) out += result.fatal + '\n';
  return out;
}
