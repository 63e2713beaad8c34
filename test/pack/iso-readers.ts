/**
 * Reads ISO 9660 images with the real tools: isoinfo (genisoimage), xorriso and blkid (util-linux).
 */
import { runText, runTool } from './tools.ts';

export interface ListedFile {
  readonly mode: string;
  readonly size: number;
  readonly name: string;
}

/** `isoinfo -l` of the root directory, with `-R` or `-J` to read Rock Ridge or Joliet names. */
export function isoinfoList(path: string, extension: '-R' | '-J' | undefined): ListedFile[] {
  const args = ['-l', '-i', path, ...(extension === undefined ? [] : [extension])];
  return runText('isoinfo', args)
    .split('\n')
    .map((line) => /^(\S{10})\s+\d+\s+\d+\s+\d+\s+(\d+)\s+\w{3}\s+\d+\s+\d{4}\s+\[\s*\d+\s+\d+\]\s+(.+?)\s*$/.exec(line))
    .filter((match) => match !== null)
    .map(([, mode = '', size = '', name = '']) => ({ mode, size: Number(size), name }))
    .filter((file) => file.name !== '.' && file.name !== '..');
}

/** Extracts the whole image with xorriso into `dir` (which must not exist yet). */
export function xorrisoExtract(path: string, dir: string): string {
  runTool('xorriso', ['-osirrox', 'on', '-indev', path, '-extract', '/', dir]);
  return dir;
}

export function blkidExport(path: string): Record<string, string> {
  const text = runText('blkid', ['-p', '-o', 'export', path]);
  return Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}
