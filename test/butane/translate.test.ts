/**
 * Behaviour of the translator beyond the fixtures, each expectation taken from Butane's
 * documented rules, not from this implementation's output.
 */
import { describe, expect, it } from 'vitest';
import { translateButane, formatButaneReport, type LocalFileReader } from '../../src/butane/index.ts';

const enc = new TextEncoder();

/** An in-memory files dir: paths → contents; a trailing '@' marks a symlink target. */
function memFiles(files: Record<string, string>, trees: Record<string, { path: string; kind: 'file' | 'symlink'; target?: string; executable?: boolean }[]> = {}): LocalFileReader {
  return {
    readFile(rel) {
      const v = files[rel];
      return v === undefined ? { ok: false, error: `open /files/${rel}: no such file or directory` } : { ok: true, data: enc.encode(v) };
    },
    listTree(rel) {
      const t = trees[rel];
      return t === undefined ? { ok: false, error: 'root of tree must be a directory' } : { ok: true, entries: t };
    },
  };
}

const flatcar = (body: string) => `variant: flatcar\nversion: 1.0.0\n${body}`;
const json = (src: string, files?: LocalFileReader) => {
  const r = translateButane(src, { files });
  expect(r.ok, formatButaneReport(r)).toBe(true);
  return r.output!;
};

describe('translateButane output form', () => {
  it('writes keys in Go struct order whatever the input order', () => {
    const out = json(flatcar(`systemd:\n  units:\n    - name: a.service\n      mask: true\n      enabled: false\nstorage:\n  files:\n    - mode: 0600\n      path: /etc/x\n      overwrite: false\n      user: {name: core}\n      group: {id: 0}\n`));
    expect(out).toBe(
      '{"ignition":{"version":"3.3.0"},"storage":{"files":[{"group":{"id":0},"overwrite":false,"path":"/etc/x","user":{"name":"core"},"mode":384}]},' +
        '"systemd":{"units":[{"enabled":false,"mask":true,"name":"a.service"}]}}\n',
    );
  });

  it('omits empty structs and lists but keeps set pointer fields even when false, 0 or empty', () => {
    const out = json(flatcar(`passwd:\n  users:\n    - name: u\n      no_create_home: false\n      uid: 0\n      gecos: ""\n      groups: []\n      ssh_authorized_keys: ~\nstorage:\n  files:\n    - path: /etc/y\n      user: {}\n      contents: {}\n`));
    expect(out).toBe('{"ignition":{"version":"3.3.0"},"passwd":{"users":[{"gecos":"","name":"u","noCreateHome":false,"uid":0}]},"storage":{"files":[{"path":"/etc/y"}]}}\n');
  });

  it('targets Ignition 3.4.0 for flatcar 1.1.0 and fcos 1.5.0, and 3.3.0 for fcos 1.4.0', () => {
    expect(json('variant: flatcar\nversion: 1.1.0\n')).toBe('{"ignition":{"version":"3.4.0"}}\n');
    expect(json('variant: fcos\nversion: 1.5.0\n')).toBe('{"ignition":{"version":"3.4.0"}}\n');
    expect(json('variant: fcos\nversion: 1.4.0\n')).toBe('{"ignition":{"version":"3.3.0"}}\n');
  });
});

describe('translateButane reports', () => {
  it('warns about unknown keys and version-gated keys at the key position, a struct before its fields', () => {
    const r = translateButane(flatcar('passwd:\n  users:\n    - name: core\n      ssh_authorized_keys_local: [a.pub]\nboot_device:\n  layout: x86_64\n'));
    expect(r.ok).toBe(true);
    expect(formatButaneReport(r)).toBe(
      'warning at $.boot_device, line 7 col 1: unused key boot_device\n' +
        'warning at $.passwd.users.0.ssh_authorized_keys_local, line 6 col 7: unused key ssh_authorized_keys_local\n',
    );
  });

  it('fails with yaml.v3 wording when a mode is a quoted string', () => {
    const r = translateButane(flatcar('storage:\n  files:\n    - path: /a\n      mode: "0644"\n'));
    expect(r.ok).toBe(false);
    expect(formatButaneReport(r)).toBe('Error translating config: yaml: unmarshal errors:\n  line 6: cannot unmarshal !!str `0644` into int\n');
  });

  it('rejects a repeated mapping key, at the top level in the pass that reads the version', () => {
    const r = translateButane(flatcar('storage: {}\nstorage: {}\n'));
    expect(r.fatal).toBe('Error translating config: Error unmarshaling yaml: yaml: unmarshal errors:\n  line 4: mapping key "storage" already defined at line 3');
  });

  it('fails under --strict when there is any warning, and passes without it', () => {
    const src = flatcar('bogus: 1\n');
    expect(translateButane(src).ok).toBe(true);
    const strict = translateButane(src, { strict: true });
    expect(strict.ok).toBe(false);
    expect(formatButaneReport(strict)).toBe(
      'warning at $.bogus, line 3 col 1: unused key bogus\nConfig produced warnings and --strict was specified\n',
    );
  });

  it('requires format (and path unless swap) for with_mount_unit', () => {
    const r = translateButane(flatcar('storage:\n  filesystems:\n    - device: /dev/vdb\n      with_mount_unit: true\n'));
    expect(formatButaneReport(r)).toBe(
      'error at $.storage.filesystems.0.format, line 5 col 7: format is required if with_mount_unit is true\n' +
        'Error translating config: source config is invalid\n',
    );
  });

  it('reports a missing local file with its Go error text at the local key', () => {
    const r = translateButane(flatcar('storage:\n  files:\n    - path: /a\n      contents:\n        local: nope\n'), { files: memFiles({}) });
    expect(formatButaneReport(r)).toBe(
      'error at $.storage.files.0.contents.local, line 7 col 16: open /files/nope: no such file or directory\n' +
        'Error translating config: source config is invalid\n',
    );
  });

  it('treats an absolute local path as relative to the files directory and rejects escapes', () => {
    const files = memFiles({ 'etc/x': 'x' });
    expect(json(flatcar('storage:\n  files:\n    - path: /a\n      contents:\n        local: /etc/x\n'), files)).toContain('"source":"data:,x"');
    const r = translateButane(flatcar('storage:\n  files:\n    - path: /a\n      contents:\n        local: a/../../x\n'), { files });
    expect(r.report[0]?.message).toBe('local file path traverses outside the files directory');
  });
});

describe('translateButane sugar', () => {
  it('appends ssh_authorized_keys_local lines after the inline keys, dropping blank lines (fcos 1.5)', () => {
    const out = json(
      'variant: fcos\nversion: 1.5.0\npasswd:\n  users:\n    - name: core\n      shell: /bin/sh\n      ssh_authorized_keys_local: [k1, k2]\n',
      memFiles({ k1: 'ssh-ed25519 A a@b\r\n\r\nssh-rsa B c@d\n', k2: 'ssh-rsa C e@f' }),
    );
    expect(out).toContain('"name":"core","sshAuthorizedKeys":["ssh-ed25519 A a@b","ssh-rsa B c@d","ssh-rsa C e@f"],"shell":"/bin/sh"');
  });

  it('fills a tree file into an existing contents-less entry, keeping its mode, and appends the rest', () => {
    const files = memFiles(
      { 't/etc/a': 'A', 't/bin/run': 'R' },
      { t: [{ path: 'bin/run', kind: 'file', executable: true }, { path: 'bin/r', kind: 'symlink', target: 'run' }, { path: 'etc/a', kind: 'file' }] },
    );
    const out = json(flatcar('storage:\n  files:\n    - path: /srv/etc/a\n      mode: 0600\n  trees:\n    - local: t\n      path: /srv\n'), files);
    expect(out).toBe(
      '{"ignition":{"version":"3.3.0"},"storage":{"files":[' +
        '{"path":"/srv/etc/a","contents":{"compression":"","source":"data:,A"},"mode":384},' +
        '{"path":"/srv/bin/run","contents":{"compression":"","source":"data:,R"},"mode":493}],' +
        '"links":[{"path":"/srv/bin/r","target":"run"}]}}\n',
    );
  });

  it('refuses a tree file where an entry with contents already exists', () => {
    const files = memFiles({ 't/a': 'A' }, { t: [{ path: 'a', kind: 'file' }] });
    const r = translateButane(flatcar('storage:\n  files:\n    - path: /a\n      contents:\n        inline: x\n  trees:\n    - local: t\n'), { files });
    expect(formatButaneReport(r)).toBe(
      'error at $.storage.trees.0, line 9 col 7: matching filesystem node has existing contents or different type\n' +
        'Error translating config: source config is invalid\n',
    );
  });

  it('generates mount units before user units, escapes unit names, and lets the user unit win field by field', () => {
    const out = json(
      flatcar('storage:\n  filesystems:\n    - device: /dev/disk/by-label/my-data\n      path: /var/lib/my data\n      format: ext4\n      with_mount_unit: true\nsystemd:\n  units:\n    - name: a.service\n    - name: var-lib-my\\x20data.mount\n      enabled: false\n'),
    );
    const units = (JSON.parse(out) as { systemd: { units: { name: string; enabled: boolean; contents?: string }[] } }).systemd.units;
    expect(units.map((u) => u.name)).toEqual(['var-lib-my\\x20data.mount', 'a.service']);
    expect(units[0]!.enabled).toBe(false);
    expect(units[0]!.contents).toContain('Requires=systemd-fsck@dev-disk-by\\x2dlabel-my\\x2ddata.service\n');
    expect(units[0]!.contents!.endsWith('RequiredBy=local-fs.target')).toBe(true);
  });

  it('maps an Ignition error on a moved user unit back to its own input position', () => {
    const r = translateButane(
      flatcar('storage:\n  filesystems:\n    - device: /dev/vdb\n      path: /var/d\n      format: xfs\n      with_mount_unit: true\nsystemd:\n  units:\n    - name: bad.txt\n'),
    );
    expect(formatButaneReport(r)).toContain('error at $.systemd.units.0.name, line 11 col 13: invalid systemd unit extension\n');
  });

  it('rejects Clevis on flatcar at the clevis key', () => {
    const r = translateButane(flatcar('storage:\n  luks:\n    - name: d\n      device: /dev/sdb\n      clevis:\n        custom: {pin: tpm2, config: "{}"}\n'));
    expect(formatButaneReport(r)).toBe(
      'error at $.storage.luks.0.clevis, line 8 col 9: clevis is not supported in this spec version\n' +
        'Error translating config: source config is invalid\n',
    );
  });

  it('puts a LUKS root on the root partition when boot_device has luks but no mirror (fcos)', () => {
    const out = json('variant: fcos\nversion: 1.4.0\nboot_device:\n  luks:\n    tpm2: true\n');
    expect(out).toBe(
      '{"ignition":{"version":"3.3.0"},"storage":{"filesystems":[{"device":"/dev/mapper/root","format":"xfs","label":"root","wipeFilesystem":true}],' +
        '"luks":[{"clevis":{"tpm2":true},"device":"/dev/disk/by-partlabel/root","label":"luks-root","name":"root","wipeVolume":true}]}}\n',
    );
  });
});

describe('translateButane variants and versions', () => {
  it('names unknown variant/version pairs like butane', () => {
    expect(translateButane('variant: flatcar\nversion: 9.0.0\n').fatal).toBe('Error translating config: No translator exists for variant flatcar with version 9.0.0');
    expect(translateButane('').fatal).toBe('Error translating config: error parsing variant; must be specified');
  });

  it('says plainly when butane knows a version kindling does not implement', () => {
    expect(translateButane('variant: fcos\nversion: 1.7.0-experimental\n').fatal).toContain('kindling implements only');
  });
});

describe('translateButane fcos partition labels', () => {
  it('warns when a reserved partition label is used at another number on a disk that is not wiped', () => {
    const r = translateButane('variant: fcos\nversion: 1.4.0\nstorage:\n  disks:\n    - device: /dev/vda\n      partitions:\n        - label: root\n          number: 5\n        - label: boot\n          number: 3\n');
    expect(formatButaneReport(r)).toBe(
      'warning at $.storage.disks.0.partitions.0.label, line 7 col 18: incorrect partition number; a new partition will be created using reserved label\n',
    );
  });
});

describe('translateButane positions', () => {
  it('places a block scalar at its | indicator, as yaml.v3 does', () => {
    const r = translateButane(flatcar('systemd:\n  units:\n    - name: a.service\n      enabled: true\n      contents: |  # no install section\n        [Service]\n        ExecStart=/bin/true\n'));
    expect(formatButaneReport(r)).toBe(
      'warning at $.systemd.units.0.contents, line 7 col 17: unit "a.service" is enabled, but has no install section so enable does nothing\n',
    );
  });
});

describe('translateButane YAML features', () => {
  it('honours anchors, aliases and merge keys like yaml.v3', () => {
    const out = json(
      flatcar('storage:\n  files:\n    - &base\n      path: /etc/a\n      mode: 0600\n      contents: {inline: a}\n    - <<: *base\n      path: /etc/b\n'),
    );
    expect(out).toBe(
      '{"ignition":{"version":"3.3.0"},"storage":{"files":[{"path":"/etc/a","contents":{"compression":"","source":"data:,a"},"mode":384},' +
        '{"path":"/etc/b","contents":{"compression":"","source":"data:,a"},"mode":384}]}}\n',
    );
  });

  it('reads only the first YAML document', () => {
    expect(json(flatcar('---\nvariant: nonsense\n'))).toBe('{"ignition":{"version":"3.3.0"}}\n');
  });
});
