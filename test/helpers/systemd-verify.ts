/**
 * Runs the real `systemd-analyze verify` on unit files inside a scratch root, so the units are
 * checked as the node would load them — ExecStart paths must exist and be executable — without
 * touching the host. The root gets the host's unit library (for targets such as
 * multi-user.target) and a stub for every command the units run.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from './project.ts';

export interface UnitFile {
  /** e.g. flanneld.service or flanneld.service.d/10-x.conf */
  readonly name: string;
  readonly contents: string;
}

const SEARCHED = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Every executable an Exec line names, as an absolute path (bare names resolve to /usr/bin, where the stub goes). */
function execPaths(units: readonly UnitFile[]): string[] {
  const paths = new Set<string>();
  for (const unit of units) {
    const text = unit.contents.replace(/\\\n/g, ' ');
    for (const match of text.matchAll(/^Exec[A-Za-z]*=[-@:+!]*(\S+)/gm)) {
      const command = match[1]!;
      paths.add(command.startsWith('/') ? command : `/usr/bin/${command}`);
    }
  }
  return [...paths];
}

export function systemdVerify(units: readonly UnitFile[]): { status: number; output: string } {
  const root = tempDir('kindling-verify-');
  mkdirSync(join(root, 'usr/lib/systemd'), { recursive: true });
  cpSync('/usr/lib/systemd/system', join(root, 'usr/lib/systemd/system'), { recursive: true });
  for (const dir of ['bin', 'sbin', 'lib']) symlinkSync(`usr/${dir}`, join(root, dir));
  for (const dir of SEARCHED) mkdirSync(join(root, dir), { recursive: true });
  for (const path of execPaths(units)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, '#!/bin/sh\n');
    chmodSync(full, 0o755);
  }
  const unitDir = join(root, 'etc/systemd/system');
  for (const unit of units) {
    const full = join(unitDir, unit.name);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, unit.contents);
  }
  const mains = units.filter((u) => !u.name.includes('/')).map((u) => join(unitDir, u.name));
  const run = spawnSync('systemd-analyze', [`--root=${root}`, 'verify', ...mains], { encoding: 'utf8', timeout: 60_000 });
  if (run.error) throw new Error(`systemd-analyze could not run (${run.error.message}); install the Debian "systemd" package`);
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}`.trim() };
}
