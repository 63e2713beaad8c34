/**
 * An inline merge/replace config (`ignition.config.merge[].inline`, `.replace.inline`): Butane
 * validates it with the source (Resource.Validate, ValidateIgnitionConfig), as an Ignition config
 * of the spec the translation targets: Go's JSON errors (printed at line 1 column 1, without a
 * path), a warning when its version is another, or the Ignition validator's findings.
 */
import { BUTANE_ERRORS as E, GO_JSON_ERRORS, type ButaneReportCode } from './errors.ts';
import { TranslationSet, type ReportPath } from './report.ts';
import type { IgnitionIssue, IgnitionSpecVersion } from './ignition-validator.ts';
import type { TranslateIssue } from './translate.ts';

// The translator's own issue shape (a type-only import: nothing of translate.ts loads here).
export type InlineConfigIssue = TranslateIssue;

export function inlineConfigIssues(
  inline: string,
  path: ReportPath,
  version: IgnitionSpecVersion,
  validate: (config: unknown, version: IgnitionSpecVersion) => readonly IgnitionIssue[],
): InlineConfigIssue[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(inline);
  } catch (e) {
    const said = E.inlineConfigJson.with(goJsonError(inline, e));
    return [
      { code: said.code, severity: 'error', message: said.message, fixedPos: { line: 1, column: 1 } },
      { code: E.inlineConfigInvalid.code, severity: 'error', message: E.inlineConfigInvalid.message, path: [...path, 'inline'] },
    ];
  }
  const inner = (parsed as { ignition?: { version?: unknown } } | null)?.ignition?.version;
  if (inner !== version) {
    return [{ code: E.inlineConfigVersion.code, severity: 'warning', message: E.inlineConfigVersion.message, path: [...path, 'version'] }];
  }
  // Butane reports these with the inner config's own paths (and hence odd positions).
  const names = new TranslationSet();
  return validate(parsed, version).map((issue) => ({ code: `ignition/${issue.code}`, severity: issue.severity, message: issue.message, path: names.toInput(issue.path) }));
}

/** Go encoding/json's wording for the common syntax errors. */
function goJsonError(text: string, e: unknown): string {
  const m = /position (\d+)/.exec(e instanceof Error ? e.message : '');
  // Go says "end of input" for any text that stops before its value is complete.
  const atEnd = m !== null && Number(m[1]) >= text.trimEnd().length;
  if (text.trim() === '' || atEnd || (e instanceof Error && /end of (JSON )?input|Unterminated/.test(e.message))) {
    return GO_JSON_ERRORS.endOfInput;
  }
  const ch = m ? text[Number(m[1])] : text.trim()[0];
  return GO_JSON_ERRORS.character(ch ?? '');
}
