/**
 * Names on an ISO 9660 image. The base directory tree holds only level-1 identifiers (8.3, upper-case
 * d-characters, ";1" version), so `user-data` is stored as `USER_DAT.;1` there, the same mangling
 * genisoimage applies; readers get the real name from Rock Ridge `NM` (Linux) or the Joliet tree.
 */

/** Input names kindling puts on a seed: plain file names, and short enough for Joliet (64 chars). */
const INPUT_NAME = /^[A-Za-z0-9._+~-]{1,64}$/;

export function isValidIsoInputName(name: string): boolean {
  return INPUT_NAME.test(name) && name !== '.' && name !== '..';
}

export interface Level1Name {
  readonly base: string;
  readonly extension: string;
}

/** The full identifier as written in a directory record, e.g. `USER_DAT.;1`. */
export function level1Identifier(name: Level1Name): string {
  return `${name.base}.${name.extension};1`;
}

/**
 * Maps each input name to a distinct level-1 name. Inputs are taken in the order given (callers pass
 * them sorted) so collisions resolve the same way every time: a clash replaces the tail of the base
 * with a counter (`USER_DAT`, `USER_DA0`, `USER_DA1`...).
 */
export function level1Names(names: readonly string[]): Map<string, Level1Name> {
  const taken = new Set<string>();
  const result = new Map<string, Level1Name>();
  for (const name of names) {
    const dot = name.lastIndexOf('.');
    const rawBase = dot < 0 ? name : name.slice(0, dot);
    const rawExtension = dot < 0 ? '' : name.slice(dot + 1);
    const base = toDCharacters(rawBase).slice(0, 8) || '_';
    const extension = toDCharacters(rawExtension).slice(0, 3);
    let candidate: Level1Name = { base, extension };
    for (let counter = 0; taken.has(level1Identifier(candidate)); counter++) {
      const digits = String(counter);
      candidate = { base: base.slice(0, 8 - digits.length) + digits, extension };
    }
    taken.add(level1Identifier(candidate));
    result.set(name, candidate);
  }
  return result;
}

/** ECMA-119 9.3 order: by name, then extension, each compared as if padded with spaces. */
export function compareLevel1(a: Level1Name, b: Level1Name): number {
  const ka = a.base.padEnd(8, ' ') + a.extension.padEnd(3, ' ');
  const kb = b.base.padEnd(8, ' ') + b.extension.padEnd(3, ' ');
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function toDCharacters(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}
