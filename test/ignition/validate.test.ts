import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateIgnition, type IgnitionIssue, type IgnitionSpecVersion } from '../../src/ignition/validate.ts';
import { parseIgnitionValidateOutput, runIgnitionValidate } from '../helpers/ignition-validate.ts';
import { randomConfigs, randomDeviceConfigs, randomSoupConfigs } from './random-config.ts';
import { deepFreeze } from '../../src/deep-freeze.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/butane');

/** A config of the given version with extra top-level JSON text spliced in after `ignition`. */
function config(extra: string, version: IgnitionSpecVersion = '3.3.0'): string {
  return `{"ignition":{"version":"${version}"}${extra}}`;
}

/** An issue without its code: the rules below are held to Ignition's wording and paths. */
type Said = Omit<IgnitionIssue, 'code'>;
const said = (issues: IgnitionIssue[]): Said[] => issues.map(({ code: _code, ...rest }) => rest);

function validate(extra: string, version: IgnitionSpecVersion = '3.3.0'): Said[] {
  return said(validateIgnition(JSON.parse(config(extra, version)), version));
}

const flannelNode = {
  ignition: { version: '3.3.0' },
  passwd: { users: [{ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKey admin@example'] }] },
  storage: {
    directories: [{ path: '/opt/bin', mode: 493 }, { path: '/etc/kube-flannel', mode: 493 }, { path: '/run/flannel' }],
    files: [
      {
        path: '/opt/bin/flanneld',
        contents: {
          source: 'https://github.com/flannel-io/flannel/releases/download/v0.26.1/flanneld-amd64',
          verification: { hash: `sha512-${'0f'.repeat(64)}` },
        },
        mode: 493,
      },
      {
        path: '/etc/kube-flannel/net-conf.json',
        contents: { compression: '', source: 'data:;base64,eyJOZXR3b3JrIjoiMTAuMjQ0LjAuMC8xNiJ9Cg==' },
        mode: 420,
      },
      { path: '/etc/kubernetes/flanneld.kubeconfig', contents: { compression: 'gzip', source: 'data:;base64,H4sIAAAAAAAC/wMAAAAAAAAAAAA=' }, mode: 384 },
      { path: '/etc/hostname', overwrite: true, contents: { source: 'data:,node-1' } },
    ],
    links: [{ path: '/etc/cni/net.d/10-flannel.conflist', target: '/etc/kube-flannel/cni-conf.json' }],
  },
  systemd: {
    units: [
      {
        name: 'flanneld.service',
        enabled: true,
        contents:
          '[Unit]\nDescription=flannel\n\n[Service]\nType=notify\nEnvironment=NODE_NAME=node-1\n' +
          'ExecStart=/opt/bin/flanneld --kube-subnet-mgr \\\n  --ip-masq\nRestart=always\n\n[Install]\nWantedBy=multi-user.target\n',
        dropins: [{ name: '10-iface.conf', contents: '[Service]\nEnvironment=FLANNEL_IFACE=eth0\n' }],
      },
      { name: 'kubelet.service', dropins: [{ name: 'after.conf', contents: '[Unit]\nAfter=network-online.target\n' }] },
    ],
  },
};

describe('validateIgnition on good configs', () => {
  it('accepts the config of a flanneld node with files, directories, links, units, drop-ins and users', () => {
    expect(validateIgnition(flannelNode, '3.3.0')).toEqual([]);
    expect(validateIgnition({ ...flannelNode, ignition: { version: '3.4.0' } }, '3.4.0')).toEqual([]);
  });

  it('accepts every 3.4.0 config the real butane produced', () => {
    const names = readdirSync(FIXTURES).filter((f) => f.endsWith('.ign'));
    const v34 = names.filter((f) => (JSON.parse(readFileSync(`${FIXTURES}/${f}`, 'utf8')) as { ignition: { version: string } }).ignition.version === '3.4.0');
    expect(v34.length).toBeGreaterThanOrEqual(4);
    for (const name of v34) {
      expect([name, validateIgnition(JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8')), '3.4.0')]).toEqual([name, []]);
    }
  });

  it('accepts every 3.5.0 config the real butane produced, warning only where butane warned (ignition-validate 2.14 cannot read 3.5.0)', () => {
    const names = readdirSync(FIXTURES).filter((f) => f.endsWith('.ign'));
    const v35 = names.filter((f) => (JSON.parse(readFileSync(`${FIXTURES}/${f}`, 'utf8')) as { ignition: { version: string } }).ignition.version === '3.5.0');
    expect(v35.length).toBeGreaterThanOrEqual(25);
    for (const name of v35) {
      const issues = validateIgnition(JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8')), '3.5.0');
      expect([name, issues.filter((i) => i.severity === 'error')]).toEqual([name, []]);
      const stderr = join(FIXTURES, name.replace(/\.ign$/, '.stderr'));
      const butaneSaid = existsSync(stderr) ? readFileSync(stderr, 'utf8') : '';
      for (const warning of issues) expect([name, butaneSaid]).toEqual([name, expect.stringContaining(`: ${warning.message}\n`)]);
    }
  });

  it('accepts 3.4.0-only fields and arn: sources only in 3.4.0', () => {
    const luks =
      ',"storage":{"luks":[{"name":"root","device":"/dev/sda2","discard":true,"openOptions":["--perf-no_read_workqueue"],' +
      '"clevis":{"tang":[{"url":"http://tang","thumbprint":"t","advertisement":"{\\"payload\\":\\"x\\"}"}]}}],' +
      '"files":[{"path":"/a","contents":{"source":"arn:aws:s3:us-west-1:123456789012:accesspoint/test/object/some/path"}}]}';
    expect(validate(luks, '3.4.0')).toEqual([]);
    expect(validate(luks, '3.3.0')).toEqual(
      expect.arrayContaining([
        { severity: 'warning', path: ['storage', 'luks', 0, 'discard'], message: 'Unused key discard' },
        { severity: 'warning', path: ['storage', 'luks', 0, 'openOptions'], message: 'Unused key openOptions' },
        { severity: 'warning', path: ['storage', 'luks', 0, 'clevis', 'tang', 0, 'advertisement'], message: 'Unused key advertisement' },
        { severity: 'error', path: ['storage', 'files', 0, 'contents', 'source'], message: 'invalid url scheme' },
      ]),
    );
  });

  it('accepts a 3.5.0 config with every 3.4.0 field, and cex on a LUKS device only from 3.5.0', () => {
    expect(validateIgnition({ ...flannelNode, ignition: { version: '3.5.0' } }, '3.5.0')).toEqual([]);
    const cex = ',"storage":{"luks":[{"name":"root","device":"/dev/dasda2","cex":{"enabled":true},"discard":true,"label":"luks-root"}]}';
    expect(validate(cex, '3.5.0')).toEqual([]);
    expect(validate(',"storage":{"luks":[{"name":"root","device":"/dev/sda2","cex":{"enabled":null}}]}', '3.5.0')).toEqual([]);
    expect(validate(cex, '3.4.0')).toEqual([{ severity: 'warning', path: ['storage', 'luks', 0, 'cex'], message: 'Unused key cex' }]);
    expect(validate(',"storage":{"luks":[{"name":"root","device":"/dev/sda2","cex":{"enabled":true,"pin":"x"}}]}', '3.5.0')).toEqual([
      { severity: 'warning', path: ['storage', 'luks', 0, 'cex', 'pin'], message: 'Unused key pin' },
    ]);
    expect(validate(',"storage":{"luks":[{"name":"root","device":"/dev/sda2","cex":{"enabled":"yes"}}]}', '3.5.0')).toEqual([
      { severity: 'error', path: ['storage', 'luks', 0, 'cex', 'enabled'], message: 'invalid type: expected boolean, got string' },
    ]);
  });

  it('says a 3.4.0 config is not a 3.5.0 one, and the other way round', () => {
    expect(validate('', '3.5.0')).toEqual([]);
    expect(said(validateIgnition({ ignition: { version: '3.4.0' } }, '3.5.0'))).toEqual([
      { severity: 'error', path: ['ignition', 'version'], message: 'unsupported config version' },
    ]);
    expect(said(validateIgnition({ ignition: { version: '3.5.0' } }, '3.4.0'))).toEqual([
      { severity: 'error', path: ['ignition', 'version'], message: 'unsupported config version' },
    ]);
  });

  it('rejects cex together with clevis (any pin, tang, tpm2 or threshold) or with a key file, at the cex key (3.5.0)', () => {
    const luks = (fields: string): Said[] => validate(`,"storage":{"luks":[{"name":"root","device":"/dev/dasda2","cex":{"enabled":true},${fields}}]}`, '3.5.0');
    const withClevis = e(['storage', 'luks', 0, 'cex'], 'cannot use cex with clevis');
    expect(luks('"clevis":{"tpm2":true}')).toEqual([withClevis]);
    expect(luks('"clevis":{"threshold":2}')).toEqual([withClevis]);
    expect(luks('"clevis":{"tang":[{"url":"http://tang","thumbprint":"t"}]}')).toEqual([withClevis]);
    expect(luks('"clevis":{"custom":{"pin":"tpm2","config":"{}"}}')).toEqual([withClevis]);
    expect(luks('"keyFile":{"source":"data:,secret"}')).toEqual([e(['storage', 'luks', 0, 'cex'], 'cannot use key file with cex')]);
    // Disabled cex, a clevis that sets nothing, an empty key-file source: no conflict.
    expect(luks('"clevis":{"tpm2":false,"threshold":0}')).toEqual([]);
    expect(luks('"keyFile":{"source":""}')).toEqual([]);
    expect(validate(',"storage":{"luks":[{"name":"root","device":"/dev/sda2","cex":{"enabled":false},"clevis":{"tpm2":true}}]}', '3.5.0')).toEqual([]);
  });

  it('reports the cex conflicts after the LUKS device own rules and before its clevis fields, as Ignition walks them', () => {
    expect(
      validate(
        ',"storage":{"luks":[{"name":"a/b","cex":{"enabled":true},"keyFile":{"source":"data:,k"},"clevis":{"tang":[{"url":"ftp://tang"}]}}]}',
        '3.5.0',
      ),
    ).toEqual([
      e(['storage', 'luks', 0, 'name'], 'device names cannot contain slashes'),
      e(['storage', 'luks', 0, 'device'], 'disk device is required'),
      e(['storage', 'luks', 0, 'cex'], 'cannot use cex with clevis'),
      e(['storage', 'luks', 0, 'cex'], 'cannot use key file with cex'),
      e(['storage', 'luks', 0, 'clevis', 'tang', 0, 'url'], 'invalid url scheme'),
      e(['storage', 'luks', 0, 'clevis', 'tang', 0, 'thumbprint'], 'thumbprint is required'),
    ]);
  });
});

const e = (path: (string | number)[], message: string): Said => ({ severity: 'error', path, message });
const w = (path: (string | number)[], message: string): Said => ({ severity: 'warning', path, message });
const F0 = ['storage', 'files', 0];
const U0 = ['systemd', 'units', 0];

/** [what, config fragment, version, an issue that must be reported] */
const RULES: [string, string, IgnitionSpecVersion, Said][] = [
  ['a relative path', ',"storage":{"files":[{"path":"etc/x"}]}', '3.3.0', e([...F0, 'path'], 'path not absolute')],
  ['a path with ..', ',"storage":{"files":[{"path":"/etc/../x"}]}', '3.3.0', e([...F0, 'path'], 'path is not fully simplified')],
  ['a path with a trailing slash', ',"storage":{"directories":[{"path":"/etc/"}]}', '3.3.0', e(['storage', 'directories', 0, 'path'], 'path is not fully simplified')],
  ['a missing path', ',"storage":{"links":[{"target":"/x"}]}', '3.3.0', e(['storage', 'links', 0, 'path'], 'path not specified')],
  ['a file and a directory at one path', ',"storage":{"directories":[{"path":"/x"}],"files":[{"path":"/x"}]}', '3.3.0', e(F0, 'duplicate entry defined')],
  ['a link and a file at one path', ',"storage":{"files":[{"path":"/x"}],"links":[{"path":"/x","target":"/y"}]}', '3.3.0', e(['storage', 'links', 0], 'duplicate entry defined')],
  ['two units with one name', ',"systemd":{"units":[{"name":"a.service"},{"name":"a.service"}]}', '3.3.0', e(['systemd', 'units', 1], 'duplicate entry defined')],
  ['two drop-ins with one name', ',"systemd":{"units":[{"name":"a.service","dropins":[{"name":"x.conf"},{"name":"x.conf"}]}]}', '3.3.0', e([...U0, 'dropins', 1], 'duplicate entry defined')],
  ['a repeated ssh key', ',"passwd":{"users":[{"name":"core","sshAuthorizedKeys":["k","k"]}]}', '3.3.0', e(['passwd', 'users', 0, 'sshAuthorizedKeys', 1], 'duplicate entry defined')],
  ['a kernel argument both wanted and unwanted', ',"kernelArguments":{"shouldExist":["quiet"],"shouldNotExist":["quiet"]}', '3.3.0', e(['kernelArguments', 'shouldNotExist', 0], 'duplicate entry defined')],
  ['an md5 hash', ',"storage":{"files":[{"path":"/x","contents":{"source":"http://h/x","verification":{"hash":"md5-abc"}}}]}', '3.3.0', e([...F0, 'contents', 'verification', 'hash'], 'unrecognized hash function')],
  ['a short sha512 hash', ',"storage":{"files":[{"path":"/x","contents":{"source":"http://h/x","verification":{"hash":"sha512-abc"}}}]}', '3.3.0', e([...F0, 'contents', 'verification', 'hash'], 'incorrect size for hash sum')],
  ['a hash without a function', ',"storage":{"files":[{"path":"/x","contents":{"source":"http://h/x","verification":{"hash":"abc"}}}]}', '3.3.0', e([...F0, 'contents', 'verification', 'hash'], 'malformed hash specifier')],
  ['a hash without a source', ',"storage":{"files":[{"path":"/x","contents":{"verification":{"hash":"sha256-abc"}}}]}', '3.3.0', e([...F0, 'contents', 'verification', 'hash'], 'source must be specified if verification is specified')],
  ['bzip2 compression', ',"storage":{"files":[{"path":"/x","contents":{"source":"http://h/x","compression":"bzip2"}}]}', '3.3.0', e([...F0, 'contents', 'compression'], 'invalid compression method')],
  ['a space in a data URL', ',"storage":{"files":[{"path":"/x","contents":{"source":"data:,a b"}}]}', '3.3.0', e([...F0, 'contents', 'source'], 'invalid data character')],
  ['bad base64 in a data URL', ',"storage":{"files":[{"path":"/x","contents":{"source":"data:;base64,QQ==QQ=="}}]}', '3.3.0', e([...F0, 'contents', 'source'], 'illegal base64 data at input byte 4')],
  ['a bad escape in a data URL', ',"storage":{"files":[{"path":"/x","append":[{"source":"data:,%zz"}]}]}', '3.3.0', e([...F0, 'append', 0, 'source'], 'rfc2396: invalid char 0x25 in unescape sequence')],
  ['an unparsable URL', ',"storage":{"files":[{"path":"/x","contents":{"source":"http://host:port/"}}]}', '3.3.0', e([...F0, 'contents', 'source'], 'unable to parse url')],
  ['an ftp URL', ',"storage":{"files":[{"path":"/x","contents":{"source":"ftp://h/x"}}]}', '3.3.0', e([...F0, 'contents', 'source'], 'invalid url scheme')],
  ['an empty S3 versionId', ',"storage":{"files":[{"path":"/x","contents":{"source":"s3://b/k?versionId="}}]}', '3.3.0', e([...F0, 'contents', 'source'], 'invalid S3 object VersionId')],
  ['a malformed arn', ',"storage":{"files":[{"path":"/x","contents":{"source":"arn:aws:iam::1:role"}}]}', '3.4.0', e([...F0, 'contents', 'source'], 'invalid S3 ARN format')],
  ['HTTP headers on a data URL', ',"storage":{"files":[{"path":"/x","contents":{"source":"data:,x","httpHeaders":[{"name":"A","value":"b"}]}}]}', '3.3.0', e([...F0, 'contents', 'httpHeaders'], 'cannot use HTTP headers with this source scheme')],
  ['HTTP headers without a source', ',"storage":{"files":[{"path":"/x","contents":{"httpHeaders":[{"name":"A","value":"b"}]}}]}', '3.3.0', e([...F0, 'contents', 'httpHeaders'], 'unable to parse url')],
  ['an empty HTTP header name', ',"storage":{"files":[{"path":"/x","contents":{"source":"https://h/","httpHeaders":[{"name":"","value":"b"}]}}]}', '3.3.0', e([...F0, 'contents', 'httpHeaders', 0, 'name'], "HTTP header name can't be empty")],
  ['an empty HTTP header value', ',"storage":{"files":[{"path":"/x","contents":{"source":"https://h/","httpHeaders":[{"name":"A","value":""}]}}]}', '3.3.0', e([...F0, 'contents', 'httpHeaders', 0, 'value'], 'unable to parse HTTP header')],
  ['a repeated HTTP header', ',"storage":{"files":[{"path":"/x","contents":{"source":"https://h/","httpHeaders":[{"name":"A","value":"1"},{"name":"A","value":"2"}]}}]}', '3.3.0', e([...F0, 'contents', 'httpHeaders', 1], 'duplicate entry defined')],
  ['a mode above 07777', ',"storage":{"files":[{"path":"/x","mode":4096}]}', '3.3.0', e([...F0, 'mode'], 'illegal file mode')],
  ['a negative mode', ',"storage":{"directories":[{"path":"/x","mode":-1}]}', '3.3.0', e(['storage', 'directories', 0, 'mode'], 'illegal file mode')],
  ['a decimal 600 meant as 0600', ',"storage":{"files":[{"path":"/x","mode":600}]}', '3.3.0', w([...F0, 'mode'], 'setuid/setgid/sticky bits are not supported or functional in spec versions older than 3.6.0')],
  ['overwrite without a source', ',"storage":{"files":[{"path":"/x","overwrite":true}]}', '3.3.0', e([...F0, 'overwrite'], 'overwrite must be false if source is unspecified')],
  ['an owner with id and name', ',"storage":{"files":[{"path":"/x","user":{"id":0,"name":"root"}}]}', '3.3.0', e([...F0, 'user'], 'cannot set both id and name')],
  ['a link without a target', ',"storage":{"links":[{"path":"/x"}]}', '3.3.0', e(['storage', 'links', 0, 'target'], 'link target is required')],
  ['a hard link to a directory', ',"storage":{"directories":[{"path":"/d"}],"links":[{"path":"/l","target":"/d","hard":true}]}', '3.3.0', e(['storage', 'links', 0], 'hard link target is a directory')],
  ['an owner on a hard link', ',"storage":{"links":[{"path":"/l","target":"/f","hard":true,"user":{"id":1}}]}', '3.3.0', w(['storage', 'links', 0, 'user', 'id'], 'user/group ignored for hard link')],
  ['a file below a link', ',"storage":{"links":[{"path":"/l","target":"/t"}],"files":[{"path":"/l/f"}]}', '3.3.0', e(F0, 'file path includes link in config')],
  ['a file where a unit is written', ',"storage":{"files":[{"path":"/etc/systemd/system/a.service"}]},"systemd":{"units":[{"name":"a.service","contents":"[Unit]\\n"}]}', '3.3.0', e([...F0, 'path'], 'path conflicts with systemd unit or dropin')],
  ['a unit without an extension', ',"systemd":{"units":[{"name":"flanneld"}]}', '3.3.0', e([...U0, 'name'], 'invalid systemd unit extension')],
  ['a drop-in not ending in .conf', ',"systemd":{"units":[{"name":"a.service","dropins":[{"name":"x.txt"}]}]}', '3.3.0', e([...U0, 'dropins', 0, 'name'], 'invalid systemd drop-in extension')],
  ['an unclosed section', ',"systemd":{"units":[{"name":"a.service","contents":"[Service\\nExecStart=/x\\n"}]}', '3.3.0', e([...U0, 'contents'], 'invalid unit content: unable to find end of section')],
  ['an option without =', ',"systemd":{"units":[{"name":"a.service","contents":"[Service]\\nExecStart\\n"}]}', '3.3.0', e([...U0, 'contents'], 'invalid unit content: unexpected newline encountered while parsing option name')],
  ['text after a section name', ',"systemd":{"units":[{"name":"a.service","contents":"[Service] junk\\n"}]}', '3.3.0', e([...U0, 'contents'], 'invalid unit content: found garbage after section name : "junk"')],
  ['a bad drop-in body', ',"systemd":{"units":[{"name":"a.service","dropins":[{"name":"x.conf","contents":"[S"}]}]}', '3.3.0', e([...U0, 'dropins', 0, 'contents'], 'invalid unit content: unable to find end of section')],
  ['a unit line over 2048 bytes', `,"systemd":{"units":[{"name":"a.service","contents":"[Service]\\nExecStart=${'x'.repeat(2100)}\\n"}]}`, '3.3.0', e([...U0, 'contents'], 'invalid unit content: line too long (max 2048 bytes)')],
  ['an enabled unit without [Install]', ',"systemd":{"units":[{"name":"flanneld.service","enabled":true,"contents":"[Service]\\nExecStart=/opt/bin/flanneld\\n"}]}', '3.3.0', w([...U0, 'contents'], 'unit "flanneld.service" is enabled, but has no install section so enable does nothing')],
  ['an enabled instance of a template without [Install]', ',"systemd":{"units":[{"name":"a@.service","contents":"[Service]\\nExecStart=/x %i\\n"},{"name":"a@b.service","enabled":true}]}', '3.3.0', w(['systemd', 'units', 1, 'contents'], 'template unit "a@.service" for "a@b.service" doesn\'t have Install section')],
  ['two users with one name', ',"passwd":{"users":[{"name":"core"},{"name":"core"}]}', '3.3.0', e(['passwd', 'users', 1], 'duplicate entry defined')],
  ['a user without a name', ',"passwd":{"users":[{"uid":1000}]}', '3.3.0', e(['passwd', 'users', 0, 'name'], 'name is required')],
  ['two groups with one name', ',"passwd":{"groups":[{"name":"g"},{"name":"g"}]}', '3.3.0', e(['passwd', 'groups', 1], 'duplicate entry defined')],
  ['a merge config without a source', ',"ignition":{"version":"3.3.0","config":{"merge":[{}]}}', '3.3.0', e(['ignition', 'config', 'merge', 0], 'source is required')],
  ['a CA without a source', ',"ignition":{"version":"3.3.0","security":{"tls":{"certificateAuthorities":[{}]}}}', '3.3.0', e(['ignition', 'security', 'tls', 'certificateAuthorities', 0], 'source is required')],
  ['an ftp proxy', ',"ignition":{"version":"3.3.0","proxy":{"httpProxy":"ftp://p"}}', '3.3.0', e(['ignition', 'proxy', 'httpProxy'], 'proxies must be http(s)')],
  ['a plaintext HTTPS proxy', ',"ignition":{"version":"3.3.0","proxy":{"httpsProxy":"http://p:3128"}}', '3.3.0', w(['ignition', 'proxy', 'httpsProxy'], 'insecure plaintext HTTP proxy specified for HTTPS resources')],
  ['a version that is not semver', ',"ignition":{"version":"3.3"}', '3.3.0', e(['ignition', 'version'], "invalid config version (couldn't parse)")],
  // JSON.parse keeps the last "ignition" key: a 3.3.0 config validated as 3.4.0.
  ['another spec version', ',"ignition":{"version":"3.3.0"}', '3.4.0', e(['ignition', 'version'], 'unsupported config version')],
  ['partitions with one number', ',"storage":{"disks":[{"device":"/dev/sda","partitions":[{"number":1},{"number":1}]}]}', '3.3.0', e(['storage', 'disks', 0, 'partitions', 1], 'partition numbers collide')],
  ['a partition without number or label', ',"storage":{"disks":[{"device":"/dev/sda","partitions":[{"sizeMiB":10}]}]}', '3.3.0', e(['storage', 'disks', 0, 'partitions', 0], 'a partition number >= 1 or a label must be specified')],
  ['a bad partition GUID', ',"storage":{"disks":[{"device":"/dev/sda","partitions":[{"number":1,"guid":"xyz"}]}]}', '3.3.0', e(['storage', 'disks', 0, 'partitions', 0, 'guid'], 'doesn\'t match the form "01234567-89AB-CDEF-EDCB-A98765432101"')],
  ['an unknown filesystem format', ',"storage":{"filesystems":[{"device":"/dev/sda1","format":"ntfs"}]}', '3.3.0', e(['storage', 'filesystems', 0, 'format'], 'invalid filesystem format')],
  ['a mount path without a format', ',"storage":{"filesystems":[{"device":"/dev/sda1","path":"/var"}]}', '3.3.0', e(['storage', 'filesystems', 0, 'format'], 'format cannot be empty when path, label, uuid, wipeFilesystem, options, or mountOptions is specified')],
  ['a long xfs label', ',"storage":{"filesystems":[{"device":"/dev/sda1","format":"xfs","label":"0123456789abc"}]}', '3.3.0', e(['storage', 'filesystems', 0, 'label'], 'filesystem labels cannot be longer than 12 characters when using xfs')],
  ['a LUKS name with a slash', ',"storage":{"luks":[{"name":"a/b","device":"/dev/sda2"}]}', '3.3.0', e(['storage', 'luks', 0, 'name'], 'device names cannot contain slashes')],
  ['a LUKS volume without a device', ',"storage":{"luks":[{"name":"root"}]}', '3.3.0', e(['storage', 'luks', 0, 'device'], 'disk device is required')],
  ['an unknown clevis pin', ',"storage":{"luks":[{"name":"r","device":"/dev/sda2","clevis":{"custom":{"pin":"yubikey","config":"{}"}}}]}', '3.3.0', e(['storage', 'luks', 0, 'clevis', 'custom', 'pin'], 'unsupported clevis pin')],
  ['a tang server without thumbprint', ',"storage":{"luks":[{"name":"r","device":"/dev/sda2","clevis":{"tang":[{"url":"http://t"}]}}]}', '3.3.0', e(['storage', 'luks', 0, 'clevis', 'tang', 0, 'thumbprint'], 'thumbprint is required')],
  ['an unknown RAID level', ',"storage":{"raid":[{"name":"md0","level":"raid7","devices":["/dev/a","/dev/b"]}]}', '3.3.0', e(['storage', 'raid', 0, 'level'], 'unrecognized raid level')],
  ['spares on raid0', ',"storage":{"raid":[{"name":"md0","level":"raid0","spares":1,"devices":["/dev/a"]}]}', '3.3.0', e(['storage', 'raid', 0, 'level'], 'spares unsupported for linear and raid0 arrays')],
  ['a RAID array without devices', ',"storage":{"raid":[{"name":"md0","level":"raid1"}]}', '3.3.0', e(['storage', 'raid', 0, 'devices'], 'raid devices required')],
  ['an unknown key', ',"storage":{"file":[]}', '3.3.0', w(['storage', 'file'], 'Unused key file')],
  ['a mode written as a string', ',"storage":{"files":[{"path":"/x","mode":"0644"}]}', '3.3.0', e([...F0, 'mode'], 'invalid type: expected integer, got string')],
  ['a list where an object belongs', ',"systemd":[]', '3.3.0', e(['systemd'], 'invalid type: expected object, got array')],
];

describe('validateIgnition rules', () => {
  it.each(RULES)('reports %s', (_what, fragment, version, issue) => {
    expect(validate(fragment, version)).toContainEqual(issue);
  });

  it('reports a config that is not an object at the root', () => {
    expect(said(validateIgnition([], '3.3.0'))).toContainEqual(e([], 'invalid type: expected object, got array'));
  });

  it('says a missing path once, in Ignition words', () => {
    expect(validate(',"storage":{"files":[{}]}')).toEqual([e([...F0, 'path'], 'path not specified')]);
    expect(validateIgnition(JSON.parse(config(',"storage":{"files":[{}]}', '3.3.0')), '3.3.0').map((i) => i.code)).toEqual(['path-not-specified']);
  });

  it('accepts an enabled unit with [Install], a masked unit and an empty enabled unit', () => {
    const units =
      ',"systemd":{"units":[{"name":"a.service","enabled":true,"contents":"[Service]\\nExecStart=/x\\n[Install]\\nWantedBy=multi-user.target\\n"},' +
      '{"name":"b.service","mask":true},{"name":"c.service","enabled":true}]}';
    expect(validate(units)).toEqual([]);
  });

});

// ---------------------------------------------------------------------------------------------
// Differential tests against the real ignition-validate 2.14.0.

type Verdict = 'error' | 'warning' | 'clean';
const verdictOf = (issues: { severity: string }[]): Verdict =>
  issues.some((i) => i.severity === 'error') ? 'error' : issues.length > 0 ? 'warning' : 'clean';

/** 2.14 words the special-bits warning for its own era; the rule is the same. */
const to214Wording = (message: string): string =>
  message.replace('not supported or functional in spec versions older than 3.6.0', 'not supported in spec versions older than 3.4.0');

/** Warnings Ignition added after 2.14: butane v0.25.1 vendors Ignition 2.23, whose rules kindling follows. */
const AFTER_214 = new Set(['filesystem overwrites partitioned device', 'device matches disk with wipeTable enabled; filesystem will be wiped']);

function compareWithReal(jsonText: string): { real: string[]; mine: string[]; realVerdict: Verdict; myVerdict: Verdict; realExit: number; pathless: boolean } {
  const run = runIgnitionValidate(jsonText);
  const realEntries = parseIgnitionValidateOutput(run.output);
  const mineIssues = validateIgnition(JSON.parse(jsonText), '3.3.0');
  const fmt = (i: { severity: string; path: (string | number)[]; message: string }): string =>
    `${i.severity} $.${i.path.join('.')}: ${to214Wording(i.message)}`;
  return {
    real: realEntries.map(fmt).sort(),
    mine: mineIssues.filter((i) => !AFTER_214.has(i.message)).map(fmt).sort(),
    realVerdict: verdictOf(realEntries),
    myVerdict: verdictOf(mineIssues),
    realExit: run.status,
    pathless: realEntries.some((x) => x.path.length === 0),
  };
}

/** Small 3.3.0 configs, good and bad; for all of them both validators must say the same. */
const CORPUS: string[] = [
  '',
  JSON.stringify(flannelNode).slice(JSON.stringify(flannelNode.ignition).length + 12, -1),
  ',"storage":{"files":[{"path":"etc/relative"}]}',
  ',"storage":{"files":[{"path":"/a/../b"},{"path":"/c/"},{"path":"//d"}]}',
  ',"storage":{"files":[{}],"directories":[{"path":"/x"}],"links":[{"path":"/x","target":"/y"}]}',
  ',"storage":{"files":[{"path":"/a","mode":-1},{"path":"/b","mode":4096},{"path":"/c","mode":2048},{"path":"/d","mode":600},{"path":"/e","mode":420}]}',
  ',"storage":{"files":[{"path":"/a","overwrite":true},{"path":"/b","user":{"id":1,"name":"x"},"group":{"id":1,"name":""}}]}',
  ',"storage":{"files":[{"path":"/a","contents":{"source":"http://x/y","verification":{"hash":"sha512-00"}}},{"path":"/b","contents":{"verification":{"hash":"sha256-00"}}},{"path":"/c","contents":{"source":"http://x/y","verification":{"hash":"SHA512-00"}}},{"path":"/d","contents":{"source":"http://x/","verification":{"hash":""}}}]}',
  `,"storage":{"files":[{"path":"/a","contents":{"source":"https://x/y","verification":{"hash":"sha512-${'ab'.repeat(64)}"},"compression":"gzip"}},{"path":"/b","contents":{"source":"http://x/y","compression":"xz"}}]}`,
  ',"storage":{"files":[{"path":"/a","contents":{"source":"data:,a b"}},{"path":"/b","contents":{"source":"data:,%zz"}},{"path":"/c","contents":{"source":"data:;base64,QQ"}},{"path":"/d","contents":{"source":"data:text,x"}},{"path":"/e","contents":{"source":"DATA:,x"}},{"path":"/f","contents":{"source":"data:,a%"}}]}',
  ',"storage":{"files":[{"path":"/a","contents":{"source":"ftp://x/y"}},{"path":"/b","contents":{"source":"http://x y/"}},{"path":"/c","contents":{"source":"s3://b/k?versionId="}},{"path":"/d","contents":{"source":"arn:aws:s3:::b/k"}},{"path":"/e","contents":{"source":"gs://b/o"}},{"path":"/f","contents":{"source":"tftp://h/f"}},{"path":"/g","contents":{"source":"http://x/#%zz"}}]}',
  ',"storage":{"files":[{"path":"/a","contents":{"source":"http://x/","httpHeaders":[{"name":"","value":"b"},{"name":"a"},{"name":"c","value":""},{"name":"c","value":"d"}]}},{"path":"/b","contents":{"source":"data:,x","httpHeaders":[{"name":"a","value":"b"}]}},{"path":"/c","contents":{"httpHeaders":[{"name":"a","value":"b"}]}}]}',
  ',"storage":{"files":[{"path":"/a","append":[{"source":"data:,x"},{"source":"data:,x"},{"source":"data:,%zz"}]}]}',
  ',"storage":{"links":[{"path":"/a"},{"path":"/b","target":""},{"path":"/l","target":"/x"},{"path":"/l/m","target":"/x"},{"path":"/h","target":"/d","hard":true},{"path":"/r","target":"rel","hard":true}],"files":[{"path":"/l/f"}],"directories":[{"path":"/d"},{"path":"/l/d"}]}',
  ',"systemd":{"units":[{"name":"a.service","enabled":true,"contents":"[Service]\\nExecStart=/x\\n"},{"name":"b.service","enabled":true,"contents":"# c\\n"},{"name":"c.service","enabled":true,"contents":"[Service]\\n[Install]\\n"},{"name":"d.service","enabled":true,"contents":""},{"name":"e.service","enabled":true}]}',
  ',"systemd":{"units":[{"name":"a.service","contents":"[Service"},{"name":"b.service","contents":"[Service]\\nFoo\\n"},{"name":"c.service","contents":"[Service]\\nFoo"},{"name":"d.service","contents":"[A]\\nB=1\\n[Service] junk\\nA=b\\n"},{"name":"e.service","contents":"X=1\\n[Service]\\nA=b\\\\\\nc\\n"}]}',
  ',"systemd":{"units":[{"name":"a"},{"name":"b.conf"},{"name":".service"},{"name":"a.service"},{"name":"a.service"},{},{"name":"f.service","dropins":[{"name":"x"},{"name":"y.conf","contents":"[S"},{"name":"y.conf"},{}]}]}',
  `,"systemd":{"units":[{"name":"a.service","contents":"[Service]\\nA=${'x'.repeat(2100)}\\n"},{"name":"b.service","contents":"[Service]\\n${'B=1\\n'.repeat(1010)}A=${'x'.repeat(2060)}\\n"},{"name":"c.service","contents":"[Service]\\nA=${'x'.repeat(2040)}\\n"}]}`,
  ',"kernelArguments":{"shouldExist":["a","a"],"shouldNotExist":["a","b",""]},"passwd":{"users":[{"name":"a","sshAuthorizedKeys":["k","k"],"groups":["x","x"]},{"name":"a"}],"groups":[{"name":"g"},{"name":"g"}]}',
  ',"ignition":{"version":"3.3.0","proxy":{"httpProxy":"ftp://x","httpsProxy":"http://x","noProxy":["a","a"]},"security":{"tls":{"certificateAuthorities":[{},{"source":"data:,x"},{"source":"data:,x"}]}},"config":{"merge":[{},{"source":"ftp://x"},{"source":"data:,x"},{"source":"data:,x"}],"replace":{"verification":{"hash":"sha512-0"}}},"timeouts":{"httpTotal":-1}}',
  ',"ignition":{"version":"3.3.0","bogus":1},"bogus2":{"x":1},"storage":{"file":[],"files":[{"path":"/a","contents":{"sorce":"x"}}]}',
  ',"storage":{"files":[{"path":"/a","mode":"420"}]}',
  ',"storage":{"disks":[{"device":"/dev/sda","partitions":[{"number":1,"label":"a","startMiB":0,"sizeMiB":10},{"number":1},{"label":"a"},{},{"number":2,"shouldExist":false,"label":"x"},{"number":3,"label":"0123456789012345678901234567890123456789"},{"number":4,"label":"a:b","guid":"zz","typeGuid":"0FC63DAF-8483-4772-8E79-3D69D8477DE4"}]},{"device":""},{"device":"/dev/sda"}]}',
  ',"storage":{"filesystems":[{"device":"/dev/sda","format":"ext5"},{"device":"rel","path":"/x"},{"device":"/dev/b","format":"ext4","label":"01234567890123456"},{},{"device":"/dev/sda","format":"xfs"}]}',
  ',"storage":{"luks":[{"name":"a/b","label":"012345678901234567890123456789012345678901234567"},{"name":"c","device":"rel","keyFile":{"source":"ftp://x"}},{"name":"d","device":"/dev/x","clevis":{"custom":{"pin":"bad"},"tpm2":true,"tang":[{"url":"ftp://x"},{"url":"http://x","thumbprint":"t"},{"url":"http://x","thumbprint":"t"}]}},{"name":"e","device":"/dev/x","clevis":{"custom":{"config":"c"}}},{"name":"e","device":"/dev/y"}]}',
  ',"storage":{"raid":[{"name":"a","level":"bogus","devices":["/dev/a","/dev/a"]},{"name":"b","level":"raid0","spares":1,"devices":["rel"]},{"name":"c"},{"name":"c","level":"1","devices":[]}]}',
].map((fragment) => config(fragment));

describe('validateIgnition against the real ignition-validate 2.14.0', () => {
  it('agrees on the verdict, and on every path and message, for a corpus of small 3.3.0 configs', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(20);
    const verdicts = new Set<Verdict>();
    for (const text of CORPUS) {
      const r = compareWithReal(text);
      verdicts.add(r.realVerdict);
      expect({ text, verdict: r.myVerdict }).toEqual({ text, verdict: r.realVerdict });
      // ignition-validate exits 1 only on errors, and prints nothing for a clean config.
      expect(r.realExit).toBe(r.realVerdict === 'error' ? 1 : 0);
      // Go's JSON decoder stops at a type error without a path: only the verdict compares.
      if (!r.pathless) expect({ text, issues: r.mine }).toEqual({ text, issues: r.real });
    }
    expect([...verdicts].sort()).toEqual(['clean', 'error', 'warning']);
  });

  it('parses unit files, data URLs and URLs exactly as the real validator does', () => {
    const units = [
      '[Service]\nExecStart=/x \\\n  --y\n[Install]\nWantedBy=m\n', '[Service]\r\nA=1\r\n[Install]\r\nW=1\r\n',
      '\n\n  [Service]\n A = 1 \n', '[Service]\n# comment \\\ncontinued\nA=1\n', '; semi\n[Service]\nA=1',
      '[Service]]\nA=1\n', '[Ser\nvice]\nA=1\n', '[Service]\n=novalue\n', '[Service]\nA\r\n', '[Service]\nA=1\n[',
      `[Service]\nA=${'x'.repeat(5000)}`, `[Service]\n${'B=1\n'.repeat(1000)}A=${'x'.repeat(2100)}\n`,
      `[Service]\n# ${'c'.repeat(3000)}\n`, `[Service]\n${'B=1\n'.repeat(750)}A=${'x'.repeat(2100)}\n`,
      `[Service]\n${'B=1\n'.repeat(1250)}A=${'x'.repeat(2100)}`, '[Service]\nA=é\n[Install]\nB=ü \u00a0\n', '[Service]\u00a0junk\nA=1\n',
      '[Service]\nA=1\\', 'x[Service]\nA=1\n', '[Service] x"y\\z\tw\n',
    ];
    const sources = [
      'data:,', 'data:;base64,', 'data:text/plain;charset=utf-8,x', 'data:text/plain;charset="utf\\"8",x',
      'data:text/plain;charset="a,x', 'data:;base64,e30', 'data:;base64,e===', 'data:;base64,====', 'data:;base64,QQ=x',
      'data:;charset=x;base64,QQ==', 'data:;base64;charset=x,QQ==', 'data:;bas64,QQ==', 'data:x-foo/bar,1',
      'data:foo/bar,1', 'data:text/,1', 'data:text/plain;a,1', 'data:,%41%4', 'data:,é', 'data:,a#b', 'data:,{}',
      'data:;a=%zz,x', 'data:;a="x\\qy",z', 'data:text/plain;a=b c,x', "data:,~!*'()-_.", 'data:Xa/b,1',
      'http://x:80a/', 'http://[::1', 'http://a b@x/', 'http://%41/', 'http://x/a b', 'http://x/%', 'https://x/?a=%zz',
      '//x/y', '/abs', 'http:opaque', 's3://b/k?versionId=1&versionId=', 's3://b/k?versionId', ':x', '1http://x',
      'a:b/c', 'http://x:/', 'http://[::1]:8080/', 'http://[::1]x/', 'http://x%25/', 'http://x_y/', 'http://x{y/',
      'http://u%zz@x/', 'HTTPS://X/',
    ];
    const texts = [
      ...units.map((c) => config(`,"systemd":{"units":[{"name":"a.service","enabled":true,"contents":${JSON.stringify(c)}}]}`)),
      ...sources.map((s) => config(`,"storage":{"files":[{"path":"/f","contents":{"source":${JSON.stringify(s)}}}]}`)),
    ];
    let errors = 0;
    for (const text of texts) {
      const r = compareWithReal(text);
      if (r.realVerdict === 'error') errors++;
      expect({ text, issues: r.mine }).toEqual({ text, issues: r.real });
    }
    // The corpus must exercise both sides of the parsers.
    expect(errors).toBeGreaterThan(20);
    expect(texts.length - errors).toBeGreaterThan(20);
  });

  it('agrees on every path and message for 150 generated configs', () => {
    const verdicts = new Map<Verdict, number>();
    for (const generated of randomConfigs(20261126, 150)) {
      const text = JSON.stringify(generated);
      const r = compareWithReal(text);
      verdicts.set(r.realVerdict, (verdicts.get(r.realVerdict) ?? 0) + 1);
      expect({ text, issues: r.mine }).toEqual({ text, issues: r.real });
    }
    // The generator must produce all three outcomes, or the comparison proves little.
    for (const v of ['clean', 'warning', 'error'] as const) expect([v, (verdicts.get(v) ?? 0) >= 10]).toEqual([v, true]);
  });

  it('agrees on unit bodies and sources made of random parser tokens', () => {
    let errors = 0;
    for (const generated of randomSoupConfigs(7, 100)) {
      const text = JSON.stringify(generated);
      const r = compareWithReal(text);
      if (r.realVerdict === 'error') errors++;
      expect({ text, issues: r.mine }).toEqual({ text, issues: r.real });
    }
    expect(errors).toBeGreaterThan(50);
  });

  it('agrees on disks, partitions, filesystems, LUKS, RAID and the ignition section of generated configs', () => {
    let errors = 0;
    const configs = randomDeviceConfigs(11, 100);
    for (const generated of configs) {
      const text = JSON.stringify(generated);
      const r = compareWithReal(text);
      if (r.realVerdict === 'error') errors++;
      expect({ text, issues: r.mine }).toEqual({ text, issues: r.real });
    }
    expect(errors).toBeGreaterThan(30);
    expect(errors).toBeLessThan(configs.length);
  });

  it('is stricter than 2.14 exactly where current Ignition (and butane) added or the spec has rules', () => {
    const stricter: [string, Verdict][] = [
      // Ignition 2.15+: files may not shadow what Ignition writes for a unit.
      [',"storage":{"files":[{"path":"/etc/systemd/system/a.service"}]},"systemd":{"units":[{"name":"a.service","contents":"[Unit]\\n"}]}', 'error'],
      // Ignition 2.15+: owners on hard links are ignored, so say so.
      [',"storage":{"links":[{"path":"/a","target":"/b","hard":true,"user":{"id":0}}]}', 'warning'],
      // Ignition 2.15+: enabling an instance of a template without [Install] does nothing.
      [',"systemd":{"units":[{"name":"b@.service","contents":"[Service]\\nA=1\\n"},{"name":"b@x.service","enabled":true}]}', 'warning'],
      // The spec requires a user name; 2.14 does not check it and useradd fails at boot.
      [',"passwd":{"users":[{}]}', 'error'],
    ];
    for (const [fragment, expected] of stricter) {
      const r = compareWithReal(config(fragment));
      expect({ fragment, real: r.realVerdict, mine: r.myVerdict }).toEqual({ fragment, real: 'clean', mine: expected });
    }
  });

  it('agrees with ignition-validate on every 3.3.0 config in the butane fixtures', () => {
    const names = readdirSync(FIXTURES).filter((f) => f.endsWith('.ign'));
    const v33 = names.filter((f) => (JSON.parse(readFileSync(`${FIXTURES}/${f}`, 'utf8')) as { ignition: { version: string } }).ignition.version === '3.3.0');
    expect(v33.length).toBeGreaterThanOrEqual(15);
    for (const name of v33) {
      const r = compareWithReal(readFileSync(`${FIXTURES}/${name}`, 'utf8'));
      expect({ name, verdict: r.myVerdict, issues: r.mine }).toEqual({ name, verdict: r.realVerdict, issues: r.real });
    }
  });
});

describe('validateIgnition on frozen entries (shared between the nodes of a build)', () => {
  const good = deepFreeze({ path: '/etc/good', mode: 420, contents: { source: 'data:,ok' } });
  const bad = deepFreeze({ path: '/etc/../bad', mode: 420, contents: { source: 'data:,x' } });
  const unit = deepFreeze({ name: 'broken.service', enabled: true, contents: '[Service]\nExecStart\n' });

  it('reports a frozen entry with a problem on every config it is in, at its place in each', () => {
    for (const files of [[good, bad], [bad], [good, good, bad]]) {
      const issues = validateIgnition({ ignition: { version: '3.3.0' }, storage: { files }, systemd: { units: [unit] } }, '3.3.0');
      const at = files.indexOf(bad);
      expect(issues).toContainEqual({ code: 'path-not-clean', severity: 'error', path: ['storage', 'files', at, 'path'], message: 'path is not fully simplified' });
      expect(issues.filter((i) => i.path[0] === 'systemd').map((i) => i.message)).toEqual([
        'invalid unit content: unexpected newline encountered while parsing option name',
      ]);
    }
  });

  it('finds nothing in a frozen entry that passed, however often it is checked', () => {
    for (let i = 0; i < 3; i++) {
      expect(validateIgnition({ ignition: { version: '3.3.0' }, storage: { files: [good] } }, '3.3.0')).toEqual([]);
    }
  });
});
