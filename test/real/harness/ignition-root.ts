/**
 * Runs the REAL Ignition binary (Debian's 2.14.0, the one its dracut module ships) against a scratch
 * root: the `fetch` stage, then the `files` stage, then `systemctl --root preset-all` as systemd does on
 * first boot. What each step needs, and why, is said beside it below.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireExecutables, run } from './run.ts';
import type { RunResult } from './run.ts';
import { listTree } from './tree-listing.ts';
import type { TreeEntry } from './tree-listing.ts';
import { ensureDebianRoot } from './debootstrap-root.ts';
import { runChrootSession } from './chroot-session.ts';
import type { ChrootSession } from './chroot-session.ts';
import type { ChrootJob } from './chroot-job.ts';

export const IGNITION_BINARY = '/usr/lib/dracut/modules.d/30ignition/ignition';

/**
 * Account files with root only, so useradd/groupadd (run by Ignition from the host, with --root) have
 * something to edit without copying the host's secrets. login.defs matters: without it useradd puts a
 * new user in group 100 (users) instead of a group of its own.
 */
const ACCOUNT_FILES: Readonly<Record<string, { text: string; mode: number }>> = {
  'etc/passwd': { text: 'root:x:0:0:root:/root:/bin/sh\n', mode: 0o644 },
  'etc/group': { text: 'root:x:0:\n', mode: 0o644 },
  'etc/shadow': { text: 'root:*:19000:0:99999:7:::\n', mode: 0o640 },
  'etc/gshadow': { text: 'root:*::\n', mode: 0o640 },
  'etc/login.defs': {
    text: [
      'MAIL_DIR /var/mail', 'UID_MIN 1000', 'UID_MAX 60000', 'SYS_UID_MIN 100', 'SYS_UID_MAX 999',
      'GID_MIN 1000', 'GID_MAX 60000', 'SYS_GID_MIN 100', 'SYS_GID_MAX 999', 'USERGROUPS_ENAB yes',
      'CREATE_HOME yes', 'UMASK 022', 'ENCRYPT_METHOD SHA512', '',
    ].join('\n'),
    mode: 0o644,
  },
  // Debian builds Ignition with SELinux relabelling compiled in: the files stage fails without a
  // SELINUXTYPE line here (and without `setfiles` on PATH, see the shim below).
  'etc/selinux/config': { text: 'SELINUX=disabled\nSELINUXTYPE=targeted\n', mode: 0o644 },
};

/** Writes the minimal scratch root Ignition's files stage needs into `root` (created if absent). */
function prepareIgnitionRoot(root: string): void {
  for (const [path, { text, mode }] of Object.entries(ACCOUNT_FILES)) {
    const target = join(root, path);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, text);
    chmodSync(target, mode);
  }
}

export interface IgnitionRunOptions {
  /** The Ignition config: JSON text exactly as a generator wrote it, or an object to serialise. */
  readonly config: string | object;
  /** Per-stage limit; Ignition retries a refused connection forever, so one is always applied. */
  readonly timeoutSeconds?: number;
  /** Extra environment for Ignition (e.g. IGNITION_WRITE_AUTHORIZED_KEYS_FRAGMENT=false). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface IgnitionRun {
  /** The scratch root Ignition wrote into. */
  readonly root: string;
  readonly fetch: RunResult;
  /** Absent when fetch failed (a real boot stops there). */
  readonly files?: RunResult;
  /** `systemctl --root preset-all`, run only after a successful files stage (a failed Ignition boot never reaches it). */
  readonly preset?: RunResult;
  /** True when every step that ran exited 0. */
  readonly ok: boolean;
  /** Node paths (root prefix removed) Ignition asked `setfiles` to relabel: the topmost path it created for each entry. */
  readonly relabelled: readonly string[];
  /** The scratch root after the run. */
  readonly listing: readonly TreeEntry[];
  /** Everything Ignition logged, both stages, for failure messages. */
  readonly log: string;
  /** Reads a file from the scratch root (path as on the node, e.g. '/opt/bin/flanneld'). */
  read(path: string): Buffer;
  exists(path: string): boolean;
  /** Removes the scratch directories. */
  cleanup(): void;
}

export async function runIgnition(options: IgnitionRunOptions): Promise<IgnitionRun> {
  requireExecutables([IGNITION_BINARY, 'timeout', 'systemctl', 'useradd', 'groupadd']);
  const work = mkdtempSync(join(tmpdir(), 'kindling-ignition-'));
  // mkdtemp makes 0700; Ignition writes a user's ssh keys with that user's fsuid, which must be able
  // to walk down to ROOT/home/<user>.
  chmodSync(work, 0o755);
  const root = join(work, 'root');
  const runDir = join(work, 'run');
  const shimDir = join(work, 'shim');
  const relabelLog = join(work, 'setfiles.log');
  mkdirSync(root);
  mkdirSync(runDir);
  mkdirSync(shimDir);
  prepareIgnitionRoot(root);

  const configPath = join(work, 'config.ign');
  writeFileSync(configPath, typeof options.config === 'string' ? options.config : JSON.stringify(options.config));
  // Ignition runs `setfiles ... -f -` with the paths to relabel on stdin, NUL-separated.
  writeFileSync(join(shimDir, 'setfiles'), `#!/bin/sh\ntr '\\0' '\\n' >> '${relabelLog}'\nexit 0\n`);
  chmodSync(join(shimDir, 'setfiles'), 0o755);

  const timeout = String(options.timeoutSeconds ?? 60);
  const env = {
    ...process.env,
    ...options.env,
    PATH: `${shimDir}:${process.env.PATH ?? ''}:/usr/sbin:/sbin`,
    IGNITION_CONFIG_FILE: configPath,
  };
  const stage = (name: 'fetch' | 'files') =>
    run('timeout', [
      '-k', '5', timeout,
      IGNITION_BINARY, '-platform', 'file', '-stage', name, '-root', root,
      '-config-cache', join(runDir, 'ignition.json'), '-state-file', join(runDir, 'state'), '-log-to-stdout',
    ], { env });

  const fetch = await stage('fetch');
  const files = fetch.code === 0 ? await stage('files') : undefined;
  const preset = files?.code === 0 ? await run('systemctl', ['--root', root, 'preset-all'], { env }) : undefined;
  const ok = fetch.code === 0 && files?.code === 0 && preset?.code === 0;

  const node = (path: string) => join(root, path.replace(/^\/+/, ''));
  return {
    root,
    fetch,
    ...(files ? { files } : {}),
    ...(preset ? { preset } : {}),
    ok,
    relabelled: existsSync(relabelLog)
      ? readFileSync(relabelLog, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((path) => (path.startsWith(`${root}/`) ? path.slice(root.length) : path))
      : [],
    listing: listTree(root),
    log: [fetch, files, preset]
      .filter((r): r is RunResult => r !== undefined)
      .map((r) => `${r.stdout}${r.stderr}`)
      .join('\n'),
    read: (path) => readFileSync(node(path)),
    exists: (path) => existsSync(node(path)),
    cleanup: () => rmSync(work, { recursive: true, force: true }),
  };
}

export interface IgnitionBootOptions {
  /** Served inside the namespace, on `port` (use the host server's port so config URLs still work). */
  readonly files?: Readonly<Record<string, Uint8Array | string>>;
  readonly port?: number;
  /** The OS underneath Ignition's output; defaults to the cached debootstrap root. */
  readonly base?: string;
  readonly startUnits?: ChrootJob['startUnits'];
  readonly notifyUnits?: ChrootJob['notifyUnits'];
}

/**
 * "First boot" after Ignition: overlays Ignition's scratch root on a real Debian root and runs the
 * oneshot units the config enabled (after preset) in a chroot, as systemd would start them (e.g.
 * the unit that unpacks the CNI plugins tarball, which Ignition itself cannot do).
 */
export async function bootIgnitionRoot(ignition: IgnitionRun, options: IgnitionBootOptions = {}): Promise<ChrootSession> {
  if (!ignition.ok) throw new Error(`Ignition did not succeed; a real boot would stop before any unit:\n${ignition.log}`);
  const base = options.base ?? (await ensureDebianRoot());
  return runChrootSession({
    lowers: [ignition.root, base],
    ...(options.files ? { files: options.files } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    startUnits: options.startUnits ?? 'enabled-oneshots',
    ...(options.notifyUnits ? { notifyUnits: options.notifyUnits } : {}),
  });
}
