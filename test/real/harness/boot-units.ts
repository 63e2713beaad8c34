/**
 * "Boots" the oneshot units a first-boot config enabled, inside a chroot where systemd is not PID 1:
 * each unit's ExecStartPre/ExecStart/ExecStartPost lines run in order, with its Environment, as
 * systemd would run them at first boot. This is how a test proves what install/extract units do
 * (download, hash check, unpack) without a VM. Runs inside the chroot session's namespaces.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './run.ts';
import type { NotifyRun, UnitRun, UnitCommandRun, WantsLink } from './chroot-job.ts';
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
function loadUnit(root: string, name: string): UnitFile {
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

async function startUnit(root: string, unit: UnitFile, timeoutSeconds: number): Promise<UnitRun> {
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
function enabledOneshots(root: string, base: string): UnitFile[] {
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

/**
 * Plays systemd's part for a Type=notify unit: creates its RuntimeDirectory, runs ExecStartPre,
 * then ExecStart with NOTIFY_SOCKET pointing at a datagram socket inside the root, and reports
 * whether READY=1 came from the main process. A python3 helper on the host does the socket work
 * (Node has no unix datagram sockets); the service process is killed afterwards.
 */
const NOTIFY_HELPER = String.raw`
import json, os, signal, socket, struct, subprocess, sys
root, inside, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
command = sys.argv[4:]
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
path = root + inside
if os.path.exists(path): os.unlink(path)
sock.bind(path)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
sock.settimeout(timeout)
# Its own process group, so the service and anything it forked are killed together.
child = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, start_new_session=True)
result = {"message": None, "sender": None, "main": child.pid, "alive": False}
try:
    msg, anc, _, _ = sock.recvmsg(4096, socket.CMSG_SPACE(12))
    result["message"] = msg.decode(errors="replace")
    for level, kind, data in anc:
        if kind == socket.SCM_CREDENTIALS:
            result["sender"] = struct.unpack("iII", data)[0]
    result["alive"] = child.poll() is None
except socket.timeout:
    pass
os.killpg(child.pid, signal.SIGKILL)
_, err = child.communicate()
result["stderr"] = err.decode(errors="replace")[-4000:]
os.unlink(path)
print(json.dumps(result))
`;

export async function notifyStart(root: string, name: string, timeoutSeconds: number): Promise<NotifyRun> {
  const unit = loadUnit(root, name);
  const type = unitValue(unit, 'Service', 'Type') ?? 'simple';
  if (type !== 'notify') throw new Error(`${name} is Type=${type}, not notify`);
  const env: Record<string, string> = { PATH: BASE_PATH, HOME: '/root', LANG: 'C.UTF-8' };
  for (const value of unitValues(unit, 'Service', 'EnvironmentFile')) {
    const path = join(root, value.replace(/^-/, ''));
    if (existsSync(path)) Object.assign(env, parseEnvironmentFile(readFileSync(path, 'utf8')));
  }
  Object.assign(env, parseEnvironment(unit));
  for (const value of unitValues(unit, 'Service', 'RuntimeDirectory')) {
    for (const dir of value.split(/\s+/).filter(Boolean)) mkdirSync(join(root, 'run', dir), { recursive: true, mode: 0o755 });
  }
  const pre = unitValues(unit, 'Service', 'ExecStartPre');
  for (const line of pre) {
    const command = parseExec(line, name, env);
    const result = await run('chroot', [root, '/usr/bin/env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...command.argv]);
    if (result.code !== 0 && !command.ignoreFailure) {
      return { unit: name, argv: command.argv, readyFromMainPid: false, aliveAfterReady: false, stderr: result.stderr };
    }
  }
  const execStart = unitValues(unit, 'Service', 'ExecStart');
  if (execStart.length !== 1) throw new Error(`${name}: a notify unit needs exactly one ExecStart, found ${execStart.length}`);
  const command = parseExec(execStart[0] ?? '', name, env);
  const socketPath = '/run/kindling-harness-notify.sock';
  const envArgs = Object.entries({ ...env, NOTIFY_SOCKET: socketPath }).map(([k, v]) => `${k}=${v}`);
  const helper = await run('/usr/bin/python3', [
    '-c', NOTIFY_HELPER, root, socketPath, String(timeoutSeconds),
    'chroot', root, '/usr/bin/env', '-i', ...envArgs, ...command.argv,
  ]);
  if (helper.code !== 0) throw new Error(`notify helper failed for ${name}:\n${helper.stderr}`);
  const result = JSON.parse(helper.stdout) as { message: string | null; sender: number | null; main: number; alive: boolean; stderr: string };
  return {
    unit: name,
    argv: command.argv,
    ...(result.message !== null ? { message: result.message } : {}),
    readyFromMainPid: result.message !== null && /(^|\n)READY=1(\n|$)/.test(result.message) && result.sender === result.main,
    aliveAfterReady: result.alive,
    stderr: result.stderr,
  };
}
