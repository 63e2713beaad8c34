/**
 * "Boots" the oneshot units a first-boot config enabled, inside a chroot where systemd is not PID 1:
 * each unit's ExecStartPre/ExecStart/ExecStartPost lines run in order, with its Environment, as
 * systemd would run them at first boot. This is how a test proves what install/extract units do
 * (download, hash check, unpack) without a VM. Runs inside the chroot session's namespaces.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './run.ts';
import type { UnitRun, UnitCommandRun, WantsLink } from './chroot-job.ts';
import {
  orderUnits,
  parseEnvironment,
  parseEnvironmentFile,
  parseExec,
  parseUnit,
  unitValue,
  unitValues,
} from './unit-file.ts';
import type { UnitFile } from './unit-file.ts';

const UNIT_DIRS = ['etc/systemd/system', 'run/systemd/system', 'usr/lib/systemd/system', 'lib/systemd/system'];
const BASE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Symlinks under ROOT/etc/systemd/system/*.wants. */
export function wantsLinks(root: string): WantsLink[] {
  const base = join(root, 'etc/systemd/system');
  if (!existsSync(base)) return [];
  const links: WantsLink[] = [];
  for (const dir of readdirSync(base).filter((name) => name.endsWith('.wants')).sort()) {
    for (const name of readdirSync(join(base, dir)).sort()) {
      const path = join(base, dir, name);
      if (lstatSync(path).isSymbolicLink()) links.push({ dir, name, target: readlinkSync(path) });
    }
  }
  return links;
}

/** The unit and its drop-ins, as systemd would find them in `root`. */
export function loadUnit(root: string, name: string): UnitFile {
  const fragments: string[] = [];
  const main = UNIT_DIRS.map((dir) => join(root, dir, name)).find((path) => existsSync(path));
  if (main === undefined) throw new Error(`unit ${name} not found under ${UNIT_DIRS.join(', ')}`);
  fragments.push(readFileSync(main, 'utf8'));
  const dropins = new Map<string, string>();
  for (const dir of [...UNIT_DIRS].reverse()) {
    const d = join(root, dir, `${name}.d`);
    if (!existsSync(d)) continue;
    for (const file of readdirSync(d).filter((f) => f.endsWith('.conf'))) dropins.set(file, join(d, file));
  }
  for (const file of [...dropins.keys()].sort()) fragments.push(readFileSync(dropins.get(file) ?? '', 'utf8'));
  return parseUnit(name, fragments);
}

/** Evaluates the Condition*= lines the runner understands; returns why the unit is skipped, or undefined. */
function failedCondition(root: string, unit: UnitFile): string | undefined {
  const inRoot = (path: string) => join(root, path);
  const checks: Record<string, (path: string) => boolean> = {
    ConditionPathExists: (p) => existsSync(inRoot(p)),
    ConditionPathIsDirectory: (p) => existsSync(inRoot(p)) && statSync(inRoot(p)).isDirectory(),
    ConditionFileIsExecutable: (p) => existsSync(inRoot(p)) && (statSync(inRoot(p)).mode & 0o111) !== 0,
    ConditionFileNotEmpty: (p) => existsSync(inRoot(p)) && statSync(inRoot(p)).size > 0,
    ConditionDirectoryNotEmpty: (p) => existsSync(inRoot(p)) && readdirSync(inRoot(p)).length > 0,
    // This is the first boot, by construction.
    ConditionFirstBoot: (v) => /^(yes|true|1)$/i.test(v),
  };
  for (const [key, values] of unit.sections.get('Unit') ?? []) {
    if (!/^(Condition|Assert)/.test(key)) continue;
    const check = checks[key.replace(/^Assert/, 'Condition')];
    if (check === undefined) throw new Error(`${unit.name}: ${key}= is not supported by the test unit runner`);
    for (const value of values) {
      if (value.startsWith('|')) throw new Error(`${unit.name}: triggering conditions (${key}=|...) are not supported`);
      const negate = value.startsWith('!');
      const subject = negate ? value.slice(1) : value;
      if (check(subject) === negate) return `${key}=${value}`;
    }
  }
  return undefined;
}

export async function startUnit(root: string, unit: UnitFile, timeoutSeconds: number): Promise<UnitRun> {
  const type = unitValue(unit, 'Service', 'Type') ?? 'simple';
  if (type !== 'oneshot') throw new Error(`${unit.name} is Type=${type}; only oneshot units can be run to completion`);
  const skipped = failedCondition(root, unit);
  if (skipped !== undefined) return { unit: unit.name, type, skipped, commands: [], ok: true };

  const env: Record<string, string> = { PATH: BASE_PATH, HOME: '/root', LANG: 'C.UTF-8' };
  for (const value of unitValues(unit, 'Service', 'EnvironmentFile')) {
    const optional = value.startsWith('-');
    const path = join(root, optional ? value.slice(1) : value);
    if (existsSync(path)) Object.assign(env, parseEnvironmentFile(readFileSync(path, 'utf8')));
    else if (!optional) return { unit: unit.name, type, commands: [], ok: false, failure: `EnvironmentFile ${value} is missing` };
  }
  Object.assign(env, parseEnvironment(unit));
  const workdir = unitValue(unit, 'Service', 'WorkingDirectory');

  const commands: UnitCommandRun[] = [];
  for (const key of ['ExecStartPre', 'ExecStart', 'ExecStartPost']) {
    for (const line of unitValues(unit, 'Service', key)) {
      const command = parseExec(line, unit.name, env);
      const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
      const argv = workdir
        ? ['/bin/sh', '-c', 'cd "$0" && exec "$@"', workdir.replace(/^-/, ''), ...command.argv]
        : [...command.argv];
      const result = await run('timeout', ['-k', '5', String(timeoutSeconds), 'chroot', root, '/usr/bin/env', '-i', ...envArgs, ...argv], {
        env: { PATH: BASE_PATH },
      });
      commands.push({ line, argv: command.argv, ignoreFailure: command.ignoreFailure, code: result.code, stdout: result.stdout, stderr: result.stderr });
      if (result.code !== 0 && !command.ignoreFailure) return { unit: unit.name, type, commands, ok: false };
    }
  }
  return { unit: unit.name, type, commands, ok: true };
}

/**
 * The oneshot units enabled by the first-boot config: wants links in `root` that the pristine base
 * root does not already have (so Debian's own units and cloud-init's are left alone), in order.
 */
export function enabledOneshots(root: string, base: string): UnitFile[] {
  const baseLinks = new Set(wantsLinks(base).map((l) => `${l.dir}/${l.name}`));
  const names = [...new Set(wantsLinks(root).filter((l) => !baseLinks.has(`${l.dir}/${l.name}`)).map((l) => l.name))];
  const units = names.map((name) => loadUnit(root, name));
  return orderUnits(units.filter((u) => (unitValue(u, 'Service', 'Type') ?? 'simple') === 'oneshot'));
}

export async function startUnits(
  root: string,
  base: string,
  selection: 'enabled-oneshots' | readonly string[],
  timeoutSeconds: number,
): Promise<UnitRun[]> {
  const units =
    selection === 'enabled-oneshots' ? enabledOneshots(root, base) : orderUnits(selection.map((name) => loadUnit(root, name)));
  const runs: UnitRun[] = [];
  for (const unit of units) {
    const result = await startUnit(root, unit, timeoutSeconds);
    runs.push(result);
    // systemd would not start units ordered after a failed one that Requires= it; the simple,
    // strict choice for a test is to stop at the first failure.
    if (!result.ok) break;
  }
  return runs;
}
