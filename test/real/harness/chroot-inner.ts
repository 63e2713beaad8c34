/**
 * The inner half of a chroot session. It runs as PID 1 of private mount, network, UTS, IPC and PID
 * namespaces (see chroot-session.ts), so: mounts never leak to the host, the hostname cloud-init sets
 * is not the host's, the test server on a fixed port collides with nothing, and every process left
 * behind dies with us.
 *
 * Usage: node --import tsx chroot-inner.ts <work-dir>
 */
import { lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync, existsSync } from 'node:fs';
import { isAbsolute, join, posix } from 'node:path';
import { startStaticServer } from './http-server.ts';
import type { StaticServer } from './http-server.ts';
import { run, runChecked } from './run.ts';
import { notifyStart, startUnits, wantsLinks } from './boot-units.ts';
import { JOB_FILE, REPORT_FILE } from './chroot-job.ts';
import type { ChrootJob, ChrootReport, StageRun } from './chroot-job.ts';

const CLOUD_INIT_STAGES: ReadonlyArray<{ name: string; args: readonly string[] }> = [
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

function lexists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Reads a file inside `root`, resolving symlinks against `root` (result.json links to an absolute path). */
function readInRoot(root: string, path: string, depth = 0): string | undefined {
  const absolute = join(root, path);
  if (!lexists(absolute)) return undefined;
  const stats = lstatSync(absolute);
  if (stats.isSymbolicLink() && depth < 8) {
    const target = readlinkSync(absolute);
    return readInRoot(root, isAbsolute(target) ? target : posix.join(posix.dirname(path), target), depth + 1);
  }
  return stats.isFile() ? readFileSync(absolute, 'utf8') : undefined;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { unparsable: text };
  }
}

function mountsUnder(prefix: string): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .filter((line) => line.split(' ')[1]?.startsWith(prefix));
}

async function main(work: string): Promise<void> {
  const job = JSON.parse(readFileSync(join(work, JOB_FILE), 'utf8')) as ChrootJob;
  const merged = join(work, 'merged');
  const mounted: string[] = [];
  let server: StaticServer | undefined;
  let report: ChrootReport = { stages: [], units: [], notify: [], wants: [], requests: [], mountsLeftInside: [] };

  const mount = async (args: readonly string[], target: string) => {
    await runChecked('mount', [...args, target]);
    mounted.push(target);
  };
  const cloudInit = async (name: string, args: readonly string[]): Promise<StageRun> => {
    const result = await run(
      'timeout',
      ['-k', '5', String(job.stepTimeoutSeconds), 'chroot', merged, 'cloud-init', ...args],
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
      ['-t', 'overlay', 'overlay', '-o', `lowerdir=${job.lowers.join(':')},upperdir=${join(work, 'upper')},workdir=${join(work, 'ovlwork')}`],
      merged,
    );
    for (const dir of ['proc', 'sys', 'dev', 'run', 'tmp']) mkdirSync(join(merged, dir), { recursive: true });
    await mount(['-t', 'proc', 'proc'], join(merged, 'proc'));
    await mount(['-t', 'sysfs', 'sysfs'], join(merged, 'sys'));
    await mount(['--bind', '/dev'], join(merged, 'dev'));
    await mount(['-t', 'tmpfs', 'tmpfs'], join(merged, 'run'));
    await mount(['-t', 'tmpfs', 'tmpfs'], join(merged, 'tmp'));

    const stages: StageRun[] = [];
    let extra: Partial<ChrootReport> = {};
    if (job.cloudInit) {
      const seed = join(merged, 'var/lib/cloud/seed/nocloud');
      mkdirSync(seed, { recursive: true });
      writeFileSync(join(seed, 'user-data'), job.cloudInit.userData);
      writeFileSync(join(seed, 'meta-data'), job.cloudInit.metaData);
      if (job.cloudInit.networkConfig !== undefined) writeFileSync(join(seed, 'network-config'), job.cloudInit.networkConfig);
      writeFileSync(join(merged, 'etc/cloud/cloud.cfg.d/99-kindling-harness.cfg'), job.cloudInit.harnessConfig);
      for (const stage of CLOUD_INIT_STAGES) stages.push(await cloudInit(stage.name, stage.args));
      extra = {
        statusLong: await cloudInit('status', ['status', '--long']),
        statusJson: parseJson(readInRoot(merged, 'run/cloud-init/status.json')),
        resultJson: parseJson(readInRoot(merged, 'run/cloud-init/result.json')),
      };
    }
    report = { ...report, stages, ...extra };
    if (job.startUnits) {
      const base = job.lowers.at(-1) ?? merged;
      report = { ...report, units: await startUnits(merged, base, job.startUnits, job.stepTimeoutSeconds) };
    }
    if (job.notifyUnits) {
      const notify = [];
      for (const unit of job.notifyUnits) notify.push(await notifyStart(merged, unit, job.stepTimeoutSeconds));
      report = { ...report, notify };
    }
    report = { ...report, wants: wantsLinks(merged) };
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
    report = { ...report, requests, mountsLeftInside: existsSync(merged) ? mountsUnder(merged) : [] };
    writeFileSync(join(work, REPORT_FILE), JSON.stringify(report, null, 2));
  }
}

const work = process.argv[2];
if (work === undefined) {
  process.stderr.write('usage: chroot-inner.ts <work-dir>\n');
  process.exit(2);
}
await main(work);
