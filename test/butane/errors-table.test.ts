/**
 * Each library says every message it reports in one file, its errors table (src/butane/errors.ts,
 * src/ignition/errors.ts, as butane's config/common/errors.go): a rule file names a constant from
 * the table and never writes a message itself. A message is found as a string or template literal
 * that reads as words (three or more, or two ending in a colon); literals that are not messages
 * (JSON keys, unit names, Go type names) are single words or paths and do not match.
 */
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BUTANE_ERRORS } from '../../src/butane/errors.ts';
import { IGNITION_ERRORS } from '../../src/ignition/errors.ts';

const REPO = join(import.meta.dirname, '../..');
/** Literals that read as words but are what the translator writes, not what it says. */
const NOT_MESSAGES = [
  // the generated grub.cfg of the fcos `grub` sugar (fcos.ts)
  'set superusers=',
  'password_pbkdf2 ',
];
/** Butane's raw report line, `error at $.path, line L col C: message` (report.ts), is a format, not a message. */
const REPORT_FORMAT = ' line  x  col  x : ';
const WORDS = /^[A-Za-z][\w'"/.-]*(?:[ ,;:()=\\[\]]+[\w'"/.<>=-]+){2,}|^[A-Za-z][\w'-]* [\w'-]+:\s*$/;

/** The literals of a file that read as a sentence, as "file:line: text". */
function messageLiterals(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    let value: string | undefined;
    let written = '';
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) value = written = node.text;
    else if (ts.isTemplateExpression(node)) {
      // A substitution reads as a word; a template that writes fewer than two words itself only joins values.
      value = node.head.text + node.templateSpans.map((s) => ' x ' + s.literal.text).join('');
      written = node.head.text + ' ' + node.templateSpans.map((s) => s.literal.text).join(' ');
    }
    const inImport = value !== undefined && (ts.isImportDeclaration(node.parent) || ts.isExportDeclaration(node.parent));
    const writesWords = (written.match(/[A-Za-z]{2,}/g) ?? []).length >= 2;
    if (value !== undefined && !inImport && writesWords && WORDS.test(value.trim()) && !NOT_MESSAGES.some((n) => value!.startsWith(n)) && !value.includes(REPORT_FORMAT)) {
      found.push(`${relative(REPO, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${value}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function ruleFiles(folder: string): string[] {
  return readdirSync(join(REPO, folder))
    .filter((name) => name.endsWith('.ts') && name !== 'errors.ts')
    .map((name) => join(REPO, folder, name));
}

describe('the errors tables', () => {
  it('finds a message written in a rule file', () => {
    expect(WORDS.test('path not absolute')).toBe(true);
    expect(WORDS.test('unused key x')).toBe(true);
    expect(WORDS.test('invalid unit content:')).toBe(true);
    expect(WORDS.test('sshAuthorizedKeys')).toBe(false);
    expect(WORDS.test('/dev/disk/by-partlabel/root')).toBe(false);
  });

  it('leaves no message in a rule file of the Butane translator', () => {
    expect(ruleFiles('src/butane').flatMap(messageLiterals)).toEqual([]);
  });

  it('leaves no message in a rule file of the Ignition validator', () => {
    expect(ruleFiles('src/ignition').flatMap(messageLiterals)).toEqual([]);
  });

  it('gives every entry of each table its own stable code', () => {
    for (const table of [BUTANE_ERRORS, IGNITION_ERRORS]) {
      const codes = Object.values(table).map((entry) => entry.code);
      expect(codes.length).toBeGreaterThan(10);
      expect(new Set(codes).size).toBe(codes.length);
      for (const code of codes) expect(code).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    }
  });
});
