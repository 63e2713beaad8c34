/**
 * The inner half of the cloud-init harness. It runs as PID 1 of private mount, network, UTS, IPC and
 * PID namespaces (see cloud-init-chroot.ts), so: mounts never leak to the host, the hostname cloud-init
 * sets is not the host's, the test server on a fixed port collides with nothing, and every process
 * cloud-init leaves behind dies with us.
 *
 * Usage: node --import tsx cloud-init-inner.ts <work-dir>
 */
import { mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync, existsSync, lstatSync } from 'node:fs';
import { isAbsolute, join, posix } from 'node:path';
import { startStaticServer } from './http-server.ts';
import type { StaticServer } from './http-server.ts';
import { run, runChecked } from './run.ts';
import { JOB_FILE, REPORT_FILE } from './cloud-init-job.ts';
import type { CloudInitJob, CloudInitReport, StageRun, WantsLink } from './cloud-init-job.ts';

const STAGES: ReadonlyArray<{ name: string; args: readonly string[] }> = [
  { name: 'init-local', args: ['init', '--local'] },
  { name: 'init', args: ['init'] },
  { name: 'modules-config', args: ['modules', '--mode', 'config'] },
  { name: 'modules-final', args: ['modules', '--mode', 'final'] },
];

/** A clean environment for the chroot: the host's PATH (pyenv shims...) means nothing inside. */
const CHROOT_ENV: NodeJS.ProcessEnv = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C.UTF-8',
  HOME: '/root',
  TERM: 'dumb',
};

/** Reads a file inside `root`, resolving symlinks against `root` (result.json links to an absolute path). */
function readInRoot(root: string, path: string, depth = 0): string | undefined {
  const absolute = join(root, path);
  if (!existsSync(absolute) && !lstatExists(absolute)) return undefined;
  const stats = lstatSync(absolute);
  if (stats.isSymbolicLink() && depth < 8) {
    const target = readlinkSync(absolute);
    return readInRoot(root, isAbsolute(target) ? target : posix.join(posix.dirname(path), target), depth + 1);
  }
  return stats.isFile() ? readFileSync(absolute, 'utf8') : undefined;
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { unparsable: text };
  }
}

function wantsLinks(merged: string): WantsLink[] {
  const base = join(merged, 'etc/systemd/system');
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

function mountsUnder(prefix: string): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .filter((line) => line.split(' ')[1]?.startsWith(prefix));
}

async function main(work: string): Promise<void> {
  const job = JSON.parse(readFileSync(join(work, JOB_FILE), 'utf8')) as CloudInitJob;
  const merged = join(work, 'merged');
  const mounted: string[] = [];
  let server: StaticServer | undefined;
  const stages: StageRun[] = [];
  let report: CloudInitReport = { stages, wants: [], requests: [], mountsLeftInside: [] };

  const mount = async (args: readonly string[], target: string) => {
    await runChecked('mount', [...args, target]);
    mounted.push(target);
  };
  const chroot = async (name: string, args: readonly string[]): Promise<StageRun> => {
    const result = await run(
      'timeout',
      ['-k', '5', String(job.stageTimeoutSeconds), 'chroot', merged, 'cloud-init', ...args],
      { env: CHROOT_ENV },
    );
    return { name, args, code: result.code, stdout: result.stdout, stderr: result.stderr, ms: result.ms };
  };

  try {
    await runChecked('ip', ['link', 'set', 'lo', 'up']);
    server = await startStaticServer(
      Object.fromEntries(Object.entries(job.files).map(([path, b64]) => [path, Buffer.from(b64, 'base64')])),
      { port: job.port },
    );

    for (const dir of ['upper', 'ovlwork', 'merged']) mkdirSync(join(work, dir), { recursive: true });
    await mount(
      ['-t', 'overlay', 'overlay', '-o', `lowerdir=${job.lower},upperdir=${join(work, 'upper')},workdir=${join(work, 'ovlwork')}`],
      merged,
    );
    await mount(['-t', 'proc', 'proc'], join(merged, 'proc'));
    await mount(['-t', 'sysfs', 'sysfs'], join(merged, 'sys'));
    await mount(['--bind', '/dev'], join(merged, 'dev'));
    await mount(['-t', 'tmpfs', 'tmpfs'], join(merged, 'run'));
    await mount(['-t', 'tmpfs', 'tmpfs'], join(merged, 'tmp'));

    const seed = join(merged, 'var/lib/cloud/seed/nocloud');
    mkdirSync(seed, { recursive: true });
    writeFileSync(join(seed, 'user-data'), job.userData);
    writeFileSync(join(seed, 'meta-data'), job.metaData);
    if (job.networkConfig !== undefined) writeFileSync(join(seed, 'network-config'), job.networkConfig);
    writeFileSync(join(merged, 'etc/cloud/cloud.cfg.d/99-kindling-harness.cfg'), job.harnessConfig);

    for (const stage of STAGES) stages.push(await chroot(stage.name, stage.args));
    const statusLong = await chroot('status', ['status', '--long']);

    report = {
      stages,
      statusLong,
      statusJson: parseJson(readInRoot(merged, 'run/cloud-init/status.json')),
      resultJson: parseJson(readInRoot(merged, 'run/cloud-init/result.json')),
      wants: wantsLinks(merged),
      requests: [],
      mountsLeftInside: [],
    };
  } catch (error) {
    report = { ...report, harnessError: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  } finally {
    const requests = server ? [...server.requests] : [];
    await server?.close();
    // Reverse order; a lazy unmount as the fallback so one busy mount cannot strand the others.
    for (const target of mounted.reverse()) {
      const result = await run('umount', [target]);
      if (result.code !== 0) await run('umount', ['-l', target]);
    }
    report = { ...report, requests, mountsLeftInside: mountsUnder(merged) };
    writeFileSync(join(work, REPORT_FILE), JSON.stringify(report, null, 2));
  }
}

const work = process.argv[2];
if (work === undefined) {
  process.stderr.write('usage: cloud-init-inner.ts <work-dir>\n');
  process.exit(2);
}
await main(work);
