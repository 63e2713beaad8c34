/**
 * Seeded generator of small, often broken, Ignition 3.3.0 configs for differential tests: the
 * pieces (paths, modes, hashes, sources, unit bodies) are drawn from pools chosen to hit the
 * edges of Ignition's rules, including CRLF line ends and backslash continuations in units.
 */
export function randomConfigs(seed: number, count: number): Record<string, unknown>[] {
  let state = seed;
  const rnd = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const pickAny = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  // About half the configs draw only from the values Ignition accepts (warnings allowed), so
  // clean and warning-only configs are common and not just broken ones.
  let valid = false;
  const pick = <T>(a: readonly T[], acceptable = a.length): T => pickAny(valid ? a.slice(0, acceptable) : a);
  const maybe = (p = 0.5): boolean => rnd() < p;
  const times = <T>(max: number, f: () => T): T[] => Array.from({ length: Math.floor(rnd() * (max + 1)) }, f);

  const segment = (): string => pick(['etc', 'opt', 'bin', '..', '.', '', 'a b', 'x.service', 'é', 'y']);
  let serial = 0;
  // In valid mode every node gets its own top-level directory, so no duplicates or link prefixes.
  const path = (): string =>
    valid
      ? `/n${serial++}/` + pick(['etc', 'opt', 'bin', 'x', 'y'])
      : maybe(0.8)
      ? '/' + Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(['etc', 'opt', 'bin', 'x', 'y'])).join('/') +
        (!valid && maybe(0.1) ? pick(['/', '/..', '/.', '//z']) : '')
      : Array.from({ length: 1 + Math.floor(rnd() * 3) }, segment).join('/');
  const source = (): string =>
    pick([
      'http://h/f', 'https://h/f?x=1', 'data:,x', 'data:,a%20b', 'data:;base64,eA==', 'data:;base64,eA',
      'data:text/plain,x', 'data:,%g1', 'data:,a b', 's3://b/k', 's3://b/k?versionId=', 'tftp://h/f', 'gs://b/o',
      'ftp://h/f', 'http://h:x/', '', 'arn:aws:s3:::b/k', 'data:,{x}', 'data:application/json;charset=utf-8,%7B%7D',
      'data:;charset="x",y', 'http://[::1]:80/', 'http://h/#%zz',
    ]);
  const hash = (): string =>
    pick(['sha512-' + 'a'.repeat(128), 'sha256-' + 'b'.repeat(64), 'sha512-abc', 'md5-x', 'x', 'sha256-' + 'b'.repeat(63), ''], 2);
  const mode = (): number => pick([420, 493, 384, 600, 644, 4095, 0, 2048, 511, 4096, -1], 9);
  const unitBody = (): string =>
    times(5, () =>
      pick(['[Unit]', '[Service]', '[Install]', 'A=1', 'WantedBy=multi-user.target', '# c', '; c', ' C = 2 ', '',
        '\t', 'B', '[X] y', 'D=1\\', '[Broken', 'E= \\'], 10),
    ).join(pick(['\n', '\r\n', '\n\n'])) + pick(['', '\n', '\r\n']);
  const owner = (): Record<string, unknown> | undefined =>
    pick([undefined, { id: 0 }, { name: 'core' }, { id: 1, name: '' }, { id: 1, name: 'x' }], 4);
  const resource = (): Record<string, unknown> => {
    const r: Record<string, unknown> = {};
    if (maybe(0.8)) r['source'] = source();
    if (maybe(0.3)) r['compression'] = pick(['', 'gzip', 'xz'], 2);
    if (maybe(0.3)) r['verification'] = { hash: hash() };
    if (!valid && maybe(0.2)) {
      r['httpHeaders'] = times(2, () => ({ name: pick(['A', 'B', '']), ...(maybe() ? { value: pick(['1', '']) } : {}) }));
    }
    return r;
  };

  return Array.from({ length: count }, () => {
    valid = maybe();
    const files = times(3, () => ({
      path: path(),
      ...(maybe() ? { mode: mode() } : {}),
      ...(maybe(0.6) ? { contents: resource() } : {}),
      ...(!valid && maybe(0.2) ? { overwrite: maybe() } : {}),
      ...(maybe(0.2) ? { user: owner() } : {}),
      ...(maybe(0.1) ? { append: [resource()] } : {}),
    }));
    const directories = times(2, () => ({ path: path(), ...(maybe() ? { mode: mode() } : {}) }));
    const links = times(2, () => ({
      path: path(),
      ...(valid || maybe(0.8) ? { target: pick(['/etc', '/x', 'rel', '/etc/x', '../y', '']) } : {}),
      ...(!valid && maybe(0.3) ? { hard: maybe() } : {}),
    }));
    const units = times(2, () => ({
      name: valid ? `u${serial++}.service` : pick(['a.service', 'b.socket', 'e.timer', 'c', 'd.conf', 'a.service']),
      ...(maybe(0.7) ? { contents: unitBody() } : {}),
      ...(maybe(0.5) ? { enabled: maybe() } : {}),
      ...(maybe(0.3) ? { dropins: [{ name: pick(['x.conf', 'y'], 1), ...(maybe() ? { contents: unitBody() } : {}) }] } : {}),
    }));
    const users = times(1, () => ({
      name: pick(['core', 'root']),
      ...(maybe() ? { sshAuthorizedKeys: times(2, () => pick(['k1', 'k2'])) } : {}),
    }));
    const config: Record<string, unknown> = { ignition: { version: '3.3.0' } };
    const storage: Record<string, unknown> = {};
    if (files.length > 0) storage['files'] = files;
    if (directories.length > 0) storage['directories'] = directories;
    if (links.length > 0) storage['links'] = links;
    if (Object.keys(storage).length > 0) config['storage'] = storage;
    if (units.length > 0) config['systemd'] = { units };
    if (users.length > 0) config['passwd'] = { users };
    if (!valid && maybe(0.2)) config['kernelArguments'] = { shouldExist: [pick(['a', 'b'])], shouldNotExist: [pick(['a', 'c'])] };
    return config;
  });
}

/**
 * Seeded configs whose unit bodies and resource sources are character soup built from the
 * tokens the unit lexer and the URL / data URL parsers care about.
 */
export function randomSoupConfigs(seed: number, count: number): Record<string, unknown>[] {
  let state = seed;
  const rnd = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const soup = (alphabet: readonly string[], n: number): string =>
    Array.from({ length: Math.floor(rnd() * n) }, () => pick(alphabet)).join('');
  const unitTokens = [
    '[', ']', '=', '\n', '\r', '\\', ' ', '\t', '#', ';', 'A', 'b', 'Install', 'Service', 'é', '\u00a0', '\u2028',
    'x=y\n', '[Install]\n', '\n[Unit]\n',
  ];
  const urlTokens = [
    'data:', ',', ';', '/', '=', '"', '\\', '%', '4', '1', 'z', 'text', 'plain', 'base64', 'x-', 'a', 'A', '+', ' ',
    '#', '?', ':', '@', '[', ']', '{', 'é', 'QQ', '==', 'http', '//', 'h', 's3', '&', 'versionId', '\u0001',
  ];
  return Array.from({ length: count }, () => ({
    ignition: { version: '3.3.0' },
    storage: {
      files: Array.from({ length: 4 }, (_, k) => ({
        path: `/f${k}`,
        contents: { source: (rnd() < 0.6 ? 'data:' : '') + soup(urlTokens, 12) },
      })),
    },
    systemd: {
      units: Array.from({ length: 3 }, (_, k) => ({ name: `u${k}.service`, enabled: rnd() < 0.5, contents: soup(unitTokens, 30) })),
    },
  }));
}

/** Seeded configs exercising the block-device sections and the `ignition` section. */
export function randomDeviceConfigs(seed: number, count: number): Record<string, unknown>[] {
  let state = seed;
  const rnd = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const maybe = (p = 0.5): boolean => rnd() < p;
  const opt = <T>(key: string, f: () => T, p = 0.4): Record<string, T> => (maybe(p) ? { [key]: f() } : {});
  const times = <T>(max: number, f: () => T): T[] => Array.from({ length: Math.floor(rnd() * (max + 1)) }, f);
  const device = (): string => pick(['/dev/sda', '/dev/sdb', 'sda', '', '/dev/disk/by-label/x', '/dev/../sda', '/dev/md/x']);
  const label = (): string => pick(['root', 'a:b', 'x'.repeat(37), 'x'.repeat(13), 'x'.repeat(17), '', 'é'.repeat(20), 'boot']);
  const guid = (): string =>
    pick(['', '0FC63DAF-8483-4772-8E79-3D69D8477DE4', 'zz', '0fc63daf-8483-4772-8e79-3d69d8477de4', '0FC63DAF84834772']);
  const partition = (): Record<string, unknown> => ({
    ...opt('number', () => pick([0, 1, 2, 3, -1])), ...opt('label', label), ...opt('startMiB', () => pick([0, 1, 100, 5])),
    ...opt('sizeMiB', () => pick([0, 10, 1000])), ...opt('shouldExist', () => maybe()), ...opt('guid', guid, 0.2),
    ...opt('typeGuid', guid, 0.2), ...opt('wipePartitionEntry', () => maybe(), 0.2), ...opt('resize', () => maybe(), 0.2),
  });
  const clevis = (): Record<string, unknown> => ({
    ...opt('tpm2', () => maybe()), ...opt('threshold', () => pick([0, 1, 2])),
    ...opt('tang', () => times(2, () => ({
      url: pick(['http://t', 'https://t:8', 'ftp://t', '', 'data:,x', 'http://t t']), ...opt('thumbprint', () => pick(['tp', '']), 0.7),
    }))),
    ...opt('custom', () => ({
      ...opt('pin', () => pick(['tpm2', 'tang', 'sss', 'bad', ''])), ...opt('config', () => pick(['{}', ''])),
      ...opt('needsNetwork', () => maybe()),
    }), 0.3),
  });
  const resource = (sources: readonly string[]): Record<string, unknown> => ({ ...opt('source', () => pick(sources), 0.8) });
  return Array.from({ length: count }, () => {
    const storage = {
      disks: times(2, () => ({ device: device(), ...opt('wipeTable', () => maybe()), ...opt('partitions', () => times(3, partition), 0.8) })),
      filesystems: times(2, () => ({
        device: device(), ...opt('format', () => pick(['ext4', 'xfs', 'vfat', 'swap', 'btrfs', 'none', '', 'ntfs'])),
        ...opt('path', () => pick(['/var', 'var', '/var/', ''])), ...opt('label', label), ...opt('uuid', () => pick(['', 'u'])),
        ...opt('wipeFilesystem', () => maybe()), ...opt('options', () => times(2, () => 'a'), 0.2),
        ...opt('mountOptions', () => times(2, () => 'b'), 0.2),
      })),
      luks: times(2, () => ({
        name: pick(['root', 'a/b', 'data', 'root']), ...opt('device', device, 0.7), ...opt('label', label),
        ...opt('wipeVolume', () => maybe(), 0.2), ...opt('options', () => ['--x', '--x'], 0.2),
        ...opt('keyFile', () => resource(['data:,k', 'ftp://x', 'http://k/', '', 'data:,%z']), 0.3), ...opt('clevis', clevis, 0.5),
      })),
      raid: times(2, () => ({
        name: pick(['md0', 'md1', 'md0']), ...opt('level', () => pick(['raid1', 'raid0', 'linear', '5', 'stripe', 'mirror', 'raid7', '']), 0.8),
        ...opt('devices', () => times(3, () => pick(['/dev/a', '/dev/b', 'rel', '', '/dev/a/'])), 0.8),
        ...opt('spares', () => pick([0, 1, 2])), ...opt('options', () => ['--x', '--x'], 0.2),
      })),
    };
    const ignition = {
      version: '3.3.0',
      ...opt('proxy', () => ({
        ...opt('httpProxy', () => pick(['http://p', 'https://p', 'ftp://p', 'p', '', 'http://p q'])),
        ...opt('httpsProxy', () => pick(['http://p', 'https://p', 'socks5://p', ''])), ...opt('noProxy', () => times(3, () => pick(['a', 'b', '']))),
      }), 0.3),
      ...opt('config', () => ({
        ...opt('merge', () => times(3, () => ({
          ...resource(['data:,{}', 'http://c/', '', 'ftp://c']),
          ...opt('verification', () => ({ hash: pick(['sha512-x', 'sha256-' + 'a'.repeat(64)]) }), 0.3),
        }))),
        ...opt('replace', () => resource(['data:,{}', '', 'ftp://c'])),
      }), 0.3),
      ...opt('security', () => ({ tls: { certificateAuthorities: times(2, () => resource(['data:,c', 'http://ca/', '', 'gs://b/o'])) } }), 0.3),
    };
    return { ignition, storage };
  });
}
