/**
 * The folder `kindling lock --mirror-to DIR` fills, laid out as `downloads.mirror` expects: builds
 * turn a release URL into `<mirror><path of the release URL>` (resolve/artifacts.ts, applyMirror),
 * so the file for a URL is DIR/<its path, decoded>, which any static web server maps back. The same
 * layout is the first place `--from-dir` looks.
 *
 * Files are staged beside their destination under a hidden name (web servers, `kindling serve`
 * included, do not serve hidden names) and renamed into place only when the whole run succeeds:
 * a reader sees the old file or the new one, never a half-written one.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The path of `url` inside a mirror folder ('/'-separated), or undefined when its path has a segment
 * no static server maps to a file: empty, `.`/`..`, hidden, or hiding a slash, backslash or NUL.
 */
export function mirrorRelativePath(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const segments = new URL(url).pathname.split('/').slice(1);
  const decoded: string[] = [];
  for (const segment of segments) {
    let name: string;
    try {
      name = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    if (name === '' || name.startsWith('.') || /[/\\\0]/.test(name)) return undefined;
    decoded.push(name);
  }
  return decoded.length === 0 ? undefined : decoded.join('/');
}

/** Files written into a mirror folder, held back until the run is known to have succeeded. */
/** What a mirror folder holds: a release artifact, or a checksum file its upstream publishes beside it. */
export type MirroredKind = 'artifact' | 'checksum';

export interface MirroredFile {
  readonly path: string;
  readonly kind: MirroredKind;
}

export class MirrorStaging {
  private readonly staged: { temp: string; destination: string; kind: MirroredKind }[] = [];

  constructor(readonly root: string) {}

  /** Where the file for `relative` ends up. */
  destinationOf(relative: string): string {
    return join(this.root, ...relative.split('/'));
  }

  /** The final path of `relative` and a fresh temporary path beside it (its folder is created). */
  prepare(relative: string): { temp: string; destination: string } {
    const destination = this.destinationOf(relative);
    mkdirSync(dirname(destination), { recursive: true });
    const temp = join(dirname(destination), `.kindling-mirror.${randomBytes(6).toString('hex')}.tmp`);
    return { temp, destination };
  }

  /** Holds `temp` (complete and verified) for `destination`. */
  keep(temp: string, destination: string, kind: MirroredKind): void {
    this.staged.push({ temp, destination, kind });
  }

  /** Moves every kept file into place; returns them, in the order kept. */
  async commit(): Promise<MirroredFile[]> {
    const done: MirroredFile[] = [];
    for (const { temp, destination, kind } of [...this.staged]) {
      await rename(temp, destination);
      this.staged.shift();
      done.push({ path: destination, kind });
    }
    return done;
  }

  async discard(): Promise<void> {
    await Promise.all(this.staged.splice(0).map(({ temp }) => rm(temp, { force: true })));
  }
}
