/**
 * Diagnostics as text stay bounded and inert whatever the input: a huge source line or a huge
 * quoted value is cut to a window, and control characters in quoted values are shown escaped,
 * never sent raw to the terminal.
 */
import { describe, expect, it } from 'vitest';
import { diagnosticsJson, formatDiagnosticsText } from '../../src/diagnostics/format.ts';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.ts';
import { exampleProject, replaceOnce } from '../helpers/project.ts';
import { runCli } from '../helpers/cli.ts';

const at = (line: number, column: number) => ({ file: 'p.yaml', line, column });

/** The code frame under a diagnostic at `line`:`column` of a file holding `text`: the lines after the message. */
function frameOf(text: string, line: number, column: number): string {
  const d: Diagnostic = { code: 'yaml/syntax', severity: 'error', message: 'bad', location: at(line, column) };
  const [, ...frame] = formatDiagnosticsText([d], { sources: new Map([['p.yaml', text]]) }).split('\n');
  return frame.join('\n');
}

describe('code frames', () => {
  it('shows a window of a 50 MB line around the column, with the caret under it', () => {
    const line = `${'a'.repeat(25_000_000)}!${'b'.repeat(25_000_000)}`;
    const frame = frameOf(`first\n${line}\nlast`, 2, 25_000_001);
    expect(frame.length).toBeLessThan(1000);
    const [, shown, caret] = frame.split('\n');
    expect(shown).toMatch(/^> 2 \| …a+!b+…$/);
    expect(caret!.indexOf('^')).toBe(shown!.indexOf('!'));
  });

  it('keeps a short line whole and shows its control characters escaped', () => {
    expect(frameOf('key: "a\u001b[31mb"\n', 1, 6)).toBe('> 1 | key: "a\\x1b[31mb"\n    |      ^');
  });
});

describe('messages', () => {
  const d = (message: string, hint?: string): Diagnostic => ({ code: 'unit/invalid-name', severity: 'error', message, ...(hint ? { hint } : {}), location: at(3, 7) });

  it('prints a quoted value with a line break and an escape sequence on one line, escaped', () => {
    const text = formatDiagnosticsText([d("unit 'a.service\nExecStart=/bin/evil\u001b[2J' is not valid", 'rename\rit')]);
    expect(text).toBe("p.yaml:3:7: error unit 'a.service\\nExecStart=/bin/evil\\x1b[2J' is not valid [unit/invalid-name]\n  hint: rename\\rit");
  });

  it('cuts a message that quotes a 50 MB value, in text and in JSON', () => {
    const huge = d(`unit '${'x'.repeat(50_000_000)}' is not valid`);
    expect(formatDiagnosticsText([huge]).length).toBeLessThan(2000);
    expect(formatDiagnosticsText([huge])).toMatch(/xxx… \(49,99\d,\d{3} more characters\)/);
    expect(JSON.stringify(diagnosticsJson([huge])).length).toBeLessThan(2000);
  });
});

describe('kindling validate on a profile with a 10 MB line', () => {
  it('prints a few kilobytes, not the line', async () => {
    const dir = exampleProject({ 'nodes/nodes.yaml': replaceOnce('name: worker-2\n', `name: worker-2\nx-long: [${'a'.repeat(10_000_000)}\n`) });
    const result = await runCli(['validate', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr.length).toBeLessThan(5000);
    expect(result.stderr).toMatch(/nodes\/nodes\.yaml:\d+:\d+: error /);
  });

  it('prints an unknown key of 1 MB with a line break inside it escaped and cut', async () => {
    // An explicit key (`? key`), since YAML limits implicit keys to 1,024 characters.
    const key = `"k\\n\\u001b[2J${'y'.repeat(1_000_000)}"`;
    const edited = exampleProject({ 'nodes/nodes.yaml': replaceOnce('os: fcos\n', `os: fcos\n? ${key}\n: 1\n`) });
    const result = await runCli(['validate', edited]);
    expect(result.status).toBe(1);
    expect(result.stderr.length).toBeLessThan(5000);
    expect(result.stderr).not.toContain('\u001b');
    expect(result.stderr).toMatch(/nodes\.yaml:16:3: error unknown key 'k\\n\\x1b\[2Jy+… \(\d{3},\d{3} more characters\)/);
  });
});
