/**
 * Generates Butane configs as value trees over every field of the supported versions: mostly
 * valid values, with a per-field chance (`bad`) of a value chosen to provoke an error or a
 * warning. Scalars that need a particular spelling (numbers, booleans, tagged values) are Raw
 * tokens; other strings are left for the emitter to quote, block or leave plain.
 */
import type { Rng } from './rng.ts';
import type { FuzzTarget } from './versions.ts';

/** A scalar written exactly as given. */
export class Raw {
  constructor(readonly text: string) {}
}
export type Value = string | Raw | Value[] | { [key: string]: Value };

interface Ctx {
  readonly r: Rng;
  readonly t: FuzzTarget;
  /** Chance that one field gets an error-provoking value. */
  readonly bad: number;
}

const HEX = '0123456789abcdef';
const hex = (r: Rng, n: number) => Array.from({ length: n }, () => HEX[r.int(16)]).join('');
const guid = (r: Rng) => `${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`.toUpperCase();

function either<T>(c: Ctx, good: () => T, bad: () => T): T {
  return c.r.chance(c.bad) ? bad() : good();
}

function int(c: Ctx, goods: readonly number[], bads: readonly string[] = []): Raw {
  const r = c.r;
  if (r.chance(c.bad)) {
    return new Raw(r.pick([...bads, '1.5', '1e3', '9223372036854775808', '"12"', 'abc', '!!str 5', '!!float 3', '0x', '0b102', '08', '[1]', '{}', '-0', '1_000', '!!int 07']));
  }
  const n = r.pick(goods);
  const spell = r.int(10);
  if (spell === 0 && n >= 0) return new Raw('0o' + n.toString(8));
  if (spell === 1 && n >= 0) return new Raw('0x' + n.toString(16));
  if (spell === 2 && n > 0) return new Raw('0' + n.toString(8));
  if (spell === 3) return new Raw('!!int ' + String(n));
  if (spell === 4 && n >= 0) return new Raw('+' + String(n));
  if (spell === 5 && n > 999) return new Raw(String(n).replace(/(\d)(\d{3})$/, '$1_$2'));
  if (spell === 6) return new Raw(String(n) + '.0');
  return new Raw(String(n));
}

function bool(c: Ctx): Raw {
  const r = c.r;
  if (r.chance(c.bad)) return new Raw(r.pick(['yes', 'no', 'on', 'off', 'y', 'n', '"true"', "'false'", '1', '0', 'tru', '!!bool true', '!!str true', 'Yes', 'OFF']));
  return new Raw(r.pick(['true', 'false', 'True', 'False', 'TRUE', 'FALSE', 'true', 'false']));
}

function strList(c: Ctx, item: () => string, max = 3): Value[] {
  return Array.from({ length: c.r.count(max) + (c.r.chance(0.5) ? 1 : 0) }, item);
}

function maybe(c: Ctx, p: number, out: Record<string, Value>, key: string, v: () => Value): void {
  if (c.r.chance(p)) out[key] = v();
}

const ABS_PATHS = ['/etc/hostname', '/etc/motd', '/etc/foo/bar.conf', '/var/lib/x', '/opt/bin/tool', '/home/core/.bashrc', '/etc/systemd/system/a.service.d/x.conf', '/usr/local/bin/k', '/etc/ssh/sshd_config.d/10.conf', '/var/log/kindling', '/etc/a b', '/etc/ünï', '/root/x'];
const BAD_PATHS = ['etc/rel', '/etc/../x', '/etc//x', '/etc/x/', '/', '', './x', '/etc/./x', 'C:\\x', '~/x'];
function path(c: Ctx): string {
  return either(c, () => c.r.pick(ABS_PATHS) + (c.r.chance(0.3) ? String(c.r.int(9)) : ''), () => c.r.pick(BAD_PATHS));
}

const LOCALS = ['a.txt', 'big.txt', 'empty', 'unit.service', 'key.pub', 'sub/b.txt', 'bin.dat'];
const BAD_LOCALS = ['missing', '../outside', '/abs', 'sub', 'sub/', '', 'tree', './a.txt', 'a.txt/'];
const SOURCES = ['https://example.com/a', 'http://example.com/b?x=1', 'data:,hello%20world', 'data:;base64,aGVsbG8=', 'data:text/plain;charset=utf-8,hi', 's3://bucket/key', 'tftp://10.0.0.1/x', 'gs://bucket/obj', 'arn:aws:s3:::bucket/key', 'arn:aws:s3:us-east-1:123456789012:accesspoint/ap/object/key'];
const BAD_SOURCES = ['ftp://x/y', 'not a url', '', 'http://', 'data:', 'data:;base64,@@@', '%zz', 'https://exa mple.com/', 'file:///etc/x'];
const TEXTS = ['hello', 'hello\n', 'a\nb\n', 'line1\nline2', '', ' leading space', 'trailing space ', 'x: y', '# not a comment', 'tab\there', 'üñíçødé\n', 'multi\n\n\nblank\n\n', '"quoted"', "it's", '- item', '0644', 'true', 'null', '~', '1.10', '{a: b}', '[x]', '&a', '*b', '!tag', '%x', '@x', '`x`', 'a\\b', 'end\\', 'back\rcarriage'];

function text(c: Ctx): string {
  const r = c.r;
  const k = r.int(10);
  if (k === 0) return 'x'.repeat(r.int(300) + 1) + '\n';
  if (k === 1) return Array.from({ length: r.int(40) + 5 }, (_, i) => `line ${i} of a compressible file with repeated words`).join('\n') + '\n';
  if (k === 2) return Array.from({ length: r.int(200) + 100 }, () => String.fromCharCode(33 + r.int(90))).join('');
  return r.pick(TEXTS);
}

function hash(c: Ctx): string {
  return either(
    c,
    () => (c.r.chance(0.5) ? 'sha512-' + hex(c.r, 128) : 'sha256-' + hex(c.r, 64)),
    () => c.r.pick(['md5-' + hex(c.r, 32), 'sha512-xyz', 'sha256-' + hex(c.r, 10), 'sha512', '', 'SHA512-' + hex(c.r, 128)]),
  );
}

function resource(c: Ctx, kind: 'file' | 'config' | 'ca' | 'key'): Record<string, Value> {
  const r = c.r;
  const out: Record<string, Value> = {};
  const which = r.int(kind === 'file' ? 4 : 3);
  if (which === 0 || (c.bad > 0 && r.chance(c.bad))) out['source'] = either(c, () => r.pick(SOURCES), () => r.pick(BAD_SOURCES));
  if (which === 1 || (c.bad > 0 && r.chance(c.bad))) out['inline'] = kind === 'config' ? r.pick(['{"ignition":{"version":"3.3.0"}}', '{"ignition":{"version":"3.4.0"}}', '{"ignition":{"version":"9.9.9"}}', '{', '', 'x', '{"ignition":{"version":"3.0.0"},"storage":{"files":[{"path":"rel"}]}}']) : text(c);
  if (which === 2 || (c.bad > 0 && r.chance(c.bad))) out['local'] = either(c, () => r.pick(LOCALS), () => r.pick(BAD_LOCALS));
  maybe(c, 0.2, out, 'compression', () => either(c, () => r.pick(['gzip', '']), () => r.pick(['bzip2', 'GZIP', 'xz'])));
  maybe(c, 0.2, out, 'verification', () => ({ hash: hash(c) }));
  maybe(c, 0.1, out, 'http_headers', () => Array.from({ length: r.count(2) + 1 }, () => {
    const h: Record<string, Value> = { name: either(c, () => r.pick(['Authorization', 'X-Token', 'Accept']), () => r.pick(['', 'Bad Name'])) };
    maybe(c, 0.8, h, 'value', () => r.pick(['Bearer x', 'a', '']));
    return h;
  }));
  return out;
}

function nodeCommon(c: Ctx, out: Record<string, Value>): void {
  const r = c.r;
  out['path'] = path(c);
  maybe(c, 0.15, out, 'overwrite', () => bool(c));
  maybe(c, 0.15, out, 'user', (): Value => (r.chance(0.5) ? { id: int(c, [0, 500, 1000, 65534]) } : { name: either(c, () => r.pick(['core', 'root', 'nobody']), () => r.pick(['', '1x'])) }));
  maybe(c, 0.15, out, 'group', (): Value => (r.chance(0.5) ? { id: int(c, [0, 10, 1000]) } : { name: r.pick(['core', 'wheel', 'docker']) }));
}

const MODES = [0o644, 0o755, 0o600, 0o400, 0o1777, 0o4755, 0o700, 0o444, 0o640, 0];
function file(c: Ctx): Value {
  const r = c.r;
  const out: Record<string, Value> = {};
  nodeCommon(c, out);
  maybe(c, 0.75, out, 'contents', () => resource(c, 'file'));
  maybe(c, 0.1, out, 'append', () => Array.from({ length: r.count(2) + 1 }, () => resource(c, 'file')));
  maybe(c, 0.5, out, 'mode', () => int(c, MODES, ['644', '755', '-1', '0o10000', '4096', '777', '600']));
  return out;
}

function directory(c: Ctx): Value {
  const out: Record<string, Value> = {};
  nodeCommon(c, out);
  maybe(c, 0.5, out, 'mode', () => int(c, MODES, ['755', '777']));
  return out;
}

function link(c: Ctx): Value {
  const r = c.r;
  const out: Record<string, Value> = {};
  nodeCommon(c, out);
  maybe(c, 0.9, out, 'target', () => either(c, () => r.pick(['/usr/bin/true', '../x', 'rel/target', '/etc/hostname']), () => r.pick(['', '/a/../b'])));
  maybe(c, 0.3, out, 'hard', () => bool(c));
  return out;
}

const UNIT_NAMES = ['a.service', 'kubelet.service', 'foo.timer', 'x.socket', 'var-lib.mount', 'a@.service', 'getty@tty1.service', 'b.target', 'c.path', 'd.slice', 'e.scope', 'swap.swap', 'f.automount', 'g.device', 'with-dash_and.dot.service', 'h\\x2d.service'];
const BAD_UNIT_NAMES = ['bad', '', '.service', 'a.conf', 'a b.service', 'a/b.service', 'x.unknown', '@.service', 'a@b@c.service', 'ü.service', '-.mount', 'a..service', 'a.Service', 'x'.repeat(260) + '.service'];
const UNIT_BODIES = [
  '[Unit]\nDescription=x\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n',
  '[Service]\nType=oneshot\nExecStart=/usr/bin/echo hi\n',
  '[Unit]\nDescription=no install\n',
  '[Unit\nbroken\n',
  'Key=outside section\n',
  '[Unit]\nDescription=continued \\\n  line\n',
  '',
  '[Unit]\r\nDescription=crlf\r\n',
  '[Service]\nExecStart=/bin/sh -c "echo \\"x\\""\n; comment\n# comment\n',
];
function unit(c: Ctx): Value {
  const r = c.r;
  const out: Record<string, Value> = { name: either(c, () => r.pick(UNIT_NAMES), () => r.pick(BAD_UNIT_NAMES)) };
  const local = c.t.base >= 5 && r.chance(0.15);
  if (local) out['contents_local'] = either(c, () => r.pick(['unit.service', 'a.txt']), () => r.pick(BAD_LOCALS));
  if (!local || r.chance(c.bad)) maybe(c, 0.7, out, 'contents', () => r.pick(UNIT_BODIES));
  maybe(c, 0.4, out, 'enabled', () => bool(c));
  maybe(c, 0.15, out, 'mask', () => bool(c));
  maybe(c, 0.3, out, 'dropins', () => Array.from({ length: r.count(2) + 1 }, () => {
    const d: Record<string, Value> = { name: either(c, () => r.pick(['10-x.conf', 'override.conf', 'a.conf']), () => r.pick(['bad', '', 'a.service', 'a b.conf', 'a/b.conf'])) };
    if (c.t.base >= 5 && r.chance(0.15)) d['contents_local'] = r.pick(['unit.service', 'missing']);
    else maybe(c, 0.8, d, 'contents', () => r.pick(UNIT_BODIES));
    return d;
  }));
  return out;
}

const KEYS = ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGv3 core@x', 'ssh-rsa AAAAB3NzaC1yc2E= a@b', 'not a key', '', 'ecdsa-sha2-nistp256 AAAAE2VjZHNh'];
const HASHES = ['$6$rounds=4096$salt$abc', '$y$j9T$x$y', '', '*', '!'];
function user(c: Ctx): Value {
  const r = c.r;
  const out: Record<string, Value> = { name: either(c, () => r.pick(['core', 'alice', 'bob', 'svc-1', 'root']), () => r.pick(['', 'Bad Name', '9x'])) };
  maybe(c, 0.3, out, 'uid', () => int(c, [0, 1000, 1001, 65534, 4294967294], ['-5', '4294967296']));
  maybe(c, 0.4, out, 'ssh_authorized_keys', () => strList(c, () => r.pick(KEYS)));
  if (c.t.base >= 5) maybe(c, 0.1, out, 'ssh_authorized_keys_local', () => strList(c, () => either(c, () => r.pick(['key.pub', 'a.txt']), () => r.pick(BAD_LOCALS))));
  maybe(c, 0.3, out, 'groups', () => strList(c, () => r.pick(['wheel', 'sudo', 'docker', 'adm'])));
  maybe(c, 0.2, out, 'password_hash', () => r.pick(HASHES));
  maybe(c, 0.15, out, 'gecos', () => r.pick(['A User', '', 'x,y']));
  maybe(c, 0.15, out, 'home_dir', () => path(c));
  maybe(c, 0.15, out, 'shell', () => r.pick(['/bin/bash', '/sbin/nologin', 'bash']));
  maybe(c, 0.1, out, 'primary_group', () => r.pick(['core', 'users']));
  for (const k of ['no_create_home', 'no_log_init', 'no_user_group', 'should_exist', 'system']) maybe(c, 0.08, out, k, () => bool(c));
  return out;
}

function group(c: Ctx): Value {
  const r = c.r;
  const out: Record<string, Value> = { name: either(c, () => r.pick(['docker', 'admins', 'g1']), () => r.pick(['', 'a b'])) };
  maybe(c, 0.4, out, 'gid', () => int(c, [0, 100, 1000, 65534]));
  maybe(c, 0.15, out, 'password_hash', () => r.pick(HASHES));
  maybe(c, 0.15, out, 'should_exist', () => bool(c));
  maybe(c, 0.15, out, 'system', () => bool(c));
  return out;
}

const DEVICES = ['/dev/vda', '/dev/sda', '/dev/disk/by-id/virtio-x', '/dev/disk/by-partlabel/root', '/dev/md/data', '/dev/mapper/crypt'];
const BAD_DEVICES = ['vda', '', '/dev/../vda', 'dev/sda'];
const device = (c: Ctx) => either(c, () => c.r.pick(DEVICES), () => c.r.pick(BAD_DEVICES));
const TYPE_GUIDS = ['0FC63DAF-8483-4772-8E79-3D69D8477DE4', 'c12a7328-f81f-11d2-ba4b-00a0c93ec93b', 'A19D880F-05FC-4D3B-A006-743F0F84911E', '21686148-6449-6E6F-744E-656564454649'];
function partition(c: Ctx): Value {
  const r = c.r;
  const out: Record<string, Value> = {};
  maybe(c, 0.7, out, 'label', () => either(c, () => r.pick(['root', 'var', 'data', 'boot', 'EFI-SYSTEM', 'BIOS-BOOT', 'md-root', 'x'.repeat(30)]), () => r.pick(['x'.repeat(40), 'a:b', ''])));
  maybe(c, 0.6, out, 'number', () => int(c, [0, 1, 2, 3, 4, 5, 6, 128], ['-1']));
  maybe(c, 0.5, out, 'size_mib', () => int(c, [0, 100, 1024, 8192]));
  maybe(c, 0.3, out, 'start_mib', () => int(c, [0, 1, 2048]));
  maybe(c, 0.3, out, 'type_guid', () => either(c, () => r.pick(TYPE_GUIDS), () => r.pick(['raid', 'linux', 'not-a-guid', ''])));
  maybe(c, 0.2, out, 'guid', () => either(c, () => guid(r), () => 'bad-guid'));
  for (const k of ['resize', 'should_exist', 'wipe_partition_entry']) maybe(c, 0.1, out, k, () => bool(c));
  return out;
}

function disk(c: Ctx): Value {
  const r = c.r;
  const out: Record<string, Value> = { device: device(c) };
  maybe(c, 0.4, out, 'wipe_table', () => bool(c));
  maybe(c, 0.8, out, 'partitions', () => Array.from({ length: r.count(3) + 1 }, () => partition(c)));
  return out;
}

function filesystem(c: Ctx): Value {
  const r = c.r;
  const out: Record<string, Value> = { device: device(c) };
  maybe(c, 0.8, out, 'format', () => either(c, () => r.pick(['ext4', 'xfs', 'vfat', 'swap', 'btrfs', 'none']), () => r.pick(['ntfs', '', 'EXT4'])));
  maybe(c, 0.6, out, 'path', () => either(c, () => r.pick(['/var', '/var/lib/data', '/srv', '/home']), () => r.pick(['var', '/var/', ''])));
  maybe(c, 0.3, out, 'label', () => r.pick(['data', 'root', 'x'.repeat(20)]));
  maybe(c, 0.2, out, 'uuid', () => either(c, () => guid(r).toLowerCase(), () => 'nope'));
  maybe(c, 0.3, out, 'wipe_filesystem', () => bool(c));
  maybe(c, 0.2, out, 'options', () => strList(c, () => r.pick(['-m', '0', '-L x'])));
  maybe(c, 0.2, out, 'mount_options', () => strList(c, () => r.pick(['noatime', 'ro', 'defaults'])));
  maybe(c, 0.35, out, 'with_mount_unit', () => bool(c));
  return out;
}

function tang(c: Ctx): Value {
  const r = c.r;
  const out: Record<string, Value> = { url: either(c, () => r.pick(['https://tang.example.com', 'http://10.0.0.2:7500']), () => r.pick(['', 'not url', 'ftp://x'])) };
  maybe(c, 0.7, out, 'thumbprint', () => r.pick(['abc123', 'x'.repeat(43), '']));
  if (c.t.base >= 5) maybe(c, 0.3, out, 'advertisement', () => r.pick(['{"payload":"x","protected":"y","signature":"z"}', 'not json', '']));
  return out;
}

function clevis(c: Ctx): Value {
  const r = c.r;
  const out: Record<string, Value> = {};
  maybe(c, 0.5, out, 'tpm2', () => bool(c));
  maybe(c, 0.5, out, 'tang', () => Array.from({ length: r.count(2) + 1 }, () => tang(c)));
  maybe(c, 0.3, out, 'threshold', () => int(c, [1, 2, 3], ['0', '-1']));
  maybe(c, 0.15, out, 'custom', () => {
    const cu: Record<string, Value> = {};
    maybe(c, 0.9, cu, 'pin', () => r.pick(['tpm2', 'tang', 'sss', 'bad']));
    maybe(c, 0.9, cu, 'config', () => r.pick(['{}', '{"t":1}', '']));
    maybe(c, 0.4, cu, 'needs_network', () => bool(c));
    return cu;
  });
  return out;
}

function luks(c: Ctx): Value {
  const r = c.r;
  const out: Record<string, Value> = { name: either(c, () => r.pick(['root', 'data', 'crypt1']), () => r.pick(['', 'a/b'])) };
  maybe(c, 0.9, out, 'device', () => device(c));
  maybe(c, 0.3, out, 'key_file', () => resource(c, 'key'));
  maybe(c, 0.4, out, 'clevis', () => clevis(c));
  maybe(c, 0.2, out, 'label', () => r.pick(['luks-root', 'x']));
  maybe(c, 0.2, out, 'uuid', () => either(c, () => guid(r).toLowerCase(), () => 'bad'));
  maybe(c, 0.2, out, 'options', () => strList(c, () => r.pick(['--cipher', 'aes-xts-plain64'])));
  maybe(c, 0.2, out, 'wipe_volume', () => bool(c));
  if (c.t.base >= 6) maybe(c, 0.15, out, 'cex', () => ({ enabled: bool(c) }));
  if (c.t.base >= 5) {
    maybe(c, 0.2, out, 'discard', () => bool(c));
    maybe(c, 0.2, out, 'open_options', () => strList(c, () => r.pick(['--perf-no_read_workqueue', '--allow-discards'])));
  }
  return out;
}

function raid(c: Ctx): Value {
  const r = c.r;
  const out: Record<string, Value> = { name: either(c, () => r.pick(['md0', 'data', 'root']), () => '') };
  maybe(c, 0.9, out, 'level', () => either(c, () => r.pick(['raid0', 'raid1', 'raid5', 'raid6', 'raid10', 'linear']), () => r.pick(['raid7', '', 'stripe'])));
  maybe(c, 0.9, out, 'devices', () => strList(c, () => device(c), 4));
  maybe(c, 0.3, out, 'spares', () => int(c, [0, 1, 2], ['-1']));
  maybe(c, 0.2, out, 'options', () => strList(c, () => r.pick(['--metadata=1.2', '--assume-clean'])));
  return out;
}

function list(c: Ctx, max: number, item: (c: Ctx) => Value): Value[] {
  return Array.from({ length: c.r.count(max) + 1 }, () => item(c));
}

function ignition(c: Ctx): Record<string, Value> {
  const r = c.r;
  const out: Record<string, Value> = {};
  maybe(c, 0.3, out, 'config', (): Value => (r.chance(0.5) ? { merge: list(c, 2, () => resource(c, 'config')) } : { replace: resource(c, 'config') }));
  maybe(c, 0.3, out, 'timeouts', () => {
    const t: Record<string, Value> = {};
    maybe(c, 0.7, t, 'http_response_headers', () => int(c, [0, 10, 60], ['-1']));
    maybe(c, 0.7, t, 'http_total', () => int(c, [0, 100, 600]));
    return t;
  });
  maybe(c, 0.3, out, 'security', () => ({ tls: { certificate_authorities: list(c, 2, () => resource(c, 'ca')) } }));
  maybe(c, 0.3, out, 'proxy', () => {
    const p: Record<string, Value> = {};
    maybe(c, 0.7, p, 'http_proxy', () => either(c, () => 'http://proxy:3128', () => 'not a url'));
    maybe(c, 0.7, p, 'https_proxy', () => either(c, () => 'https://proxy:3128', () => 'ftp://x'));
    maybe(c, 0.5, p, 'no_proxy', () => strList(c, () => r.pick(['localhost', '10.0.0.0/8', '.example.com'])));
    return p;
  });
  return out;
}

function bootDevice(c: Ctx): Value {
  const r = c.r;
  const out: Record<string, Value> = {};
  const layouts = c.t.base >= 6 ? ['x86_64', 'aarch64', 'ppc64le', 's390x-eckd', 's390x-zfcp', 's390x-virt'] : ['x86_64', 'aarch64', 'ppc64le'];
  maybe(c, 0.5, out, 'layout', () => either(c, () => r.pick(layouts), () => r.pick(['s390x', 'arm', '', 's390x-eckd'])));
  maybe(c, 0.5, out, 'luks', () => {
    const l: Record<string, Value> = {};
    maybe(c, 0.6, l, 'tpm2', () => bool(c));
    maybe(c, 0.5, l, 'tang', () => list(c, 2, tang));
    maybe(c, 0.3, l, 'threshold', () => int(c, [1, 2], ['0']));
    if (c.t.base >= 5) maybe(c, 0.3, l, 'discard', () => bool(c));
    if (c.t.base >= 6) {
      maybe(c, 0.2, l, 'cex', () => ({ enabled: bool(c) }));
      maybe(c, 0.3, l, 'device', () => r.pick(['/dev/dasda', '/dev/sda', '/dev/vda', 'dasdb']));
    }
    return l;
  });
  maybe(c, 0.5, out, 'mirror', () => ({ devices: strList(c, () => either(c, () => r.pick(['/dev/vda', '/dev/vdb', '/dev/sda', '/dev/sdb']), () => r.pick(['vda', ''])), 3) }));
  return out;
}

/** One config for `t`: each top-level section with some chance, each field filled as above. */
export function generateConfig(r: Rng, t: FuzzTarget, bad: number): Record<string, Value> {
  const c: Ctx = { r, t, bad };
  const out: Record<string, Value> = { variant: t.variant, version: t.version };
  maybe(c, 0.2, out, 'ignition', () => ignition(c));
  maybe(c, 0.15, out, 'kernel_arguments', () => {
    const k: Record<string, Value> = {};
    maybe(c, 0.7, k, 'should_exist', () => strList(c, () => r.pick(['console=ttyS0', 'quiet', 'a=b c'])));
    maybe(c, 0.5, k, 'should_not_exist', () => strList(c, () => r.pick(['quiet', 'mitigations=off'])));
    return k;
  });
  maybe(c, 0.35, out, 'passwd', () => {
    const p: Record<string, Value> = {};
    maybe(c, 0.85, p, 'users', () => list(c, 3, user));
    maybe(c, 0.3, p, 'groups', () => list(c, 2, group));
    return p;
  });
  maybe(c, 0.65, out, 'storage', () => {
    const s: Record<string, Value> = {};
    maybe(c, 0.7, s, 'files', () => list(c, 4, file));
    maybe(c, 0.25, s, 'directories', () => list(c, 2, directory));
    maybe(c, 0.2, s, 'links', () => list(c, 2, link));
    maybe(c, 0.15, s, 'disks', () => list(c, 2, disk));
    maybe(c, 0.2, s, 'filesystems', () => list(c, 2, filesystem));
    maybe(c, 0.1, s, 'luks', () => list(c, 2, luks));
    maybe(c, 0.1, s, 'raid', () => list(c, 1, raid));
    maybe(c, 0.12, s, 'trees', () => list(c, 2, () => {
      const tr: Record<string, Value> = {};
      maybe(c, 0.9, tr, 'local', () => either(c, () => r.pick(['tree', 'tree/sub', '']), () => r.pick(['missing', 'a.txt', '../x'])));
      maybe(c, 0.6, tr, 'path', () => either(c, () => r.pick(['/etc/tree', '/', '/opt']), () => r.pick(['rel/tree', '/etc/../x'])));
      return tr;
    }));
    return s;
  });
  maybe(c, 0.5, out, 'systemd', () => ({ units: list(c, 3, unit) }));
  if (t.variant === 'fcos') {
    maybe(c, 0.15, out, 'boot_device', () => bootDevice(c));
    if (t.base >= 5) maybe(c, 0.08, out, 'grub', () => ({ users: list(c, 2, () => {
      const g: Record<string, Value> = {};
      maybe(c, 0.9, g, 'name', () => r.pick(['root', 'admin', '']));
      maybe(c, 0.9, g, 'password_hash', () => r.pick(['grub.pbkdf2.sha512.10000.ABC', '']));
      return g;
    }) }));
  }
  return out;
}
