/**
 * A checker for the `autoinstall:` section kindling writes for Ubuntu's installer (subiquity),
 * written by hand from Ubuntu's autoinstall reference (keys, types, required keys, choices).
 *
 * Targets Ubuntu 22.04 and 24.04 (their live-server ISOs' subiquity), so it knows only what both
 * know: the top-level keys of 22.04's installer; the storage layouts `lvm` and `direct` (`zfs` and
 * `hybrid` came later); the match keys serial, model, vendor, path, ssd and size (24.04 added
 * id_path, devpath and install-media). Stricter than either installer on purpose: 22.04 only warns
 * about a key it does not know (and ignores it), 24.04 refuses one at the top level but not
 * inside a section; here an unknown key anywhere is a problem, so a misspelt key never reaches an
 * installer that would silently drop it.
 *
 * `user-data` is a cloud-config mapping checked by cloud-init's own schema, not here; `network`
 * is netplan version 2, checked here for the keys kindling's network renderer writes.
 */

/** One problem: where in the document (dotted path below `autoinstall`) and what is wrong. */
interface AutoinstallProblem {
  readonly path: string;
  readonly message: string;
}

type Rule =
  | { readonly type: 'string'; readonly choices?: readonly string[] }
  | { readonly type: 'boolean' }
  | { readonly type: 'null' }
  | { readonly type: 'integer'; readonly min?: number; readonly max?: number }
  | { readonly type: 'list'; readonly items: Rule }
  | { readonly type: 'mapping'; readonly keys?: Readonly<Record<string, Rule>>; readonly required?: readonly string[]; readonly values?: Rule | 'any' }
  | { readonly type: 'either'; readonly rules: readonly Rule[] };

const text = (choices?: readonly string[]): Rule => Object.freeze({ type: 'string', ...(choices ? { choices: Object.freeze([...choices]) } : {}) });
const bool = (): Rule => Object.freeze({ type: 'boolean' });
const nothing = (): Rule => Object.freeze({ type: 'null' });
const integer = (min?: number, max?: number): Rule => Object.freeze({ type: 'integer', ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) });
const list = (items: Rule): Rule => Object.freeze({ type: 'list', items });
const either = (...rules: Rule[]): Rule => Object.freeze({ type: 'either', rules: Object.freeze(rules) });
/** A mapping with exactly these keys (some required). */
const mapping = (keys: Record<string, Rule>, required: readonly string[] = []): Rule =>
  Object.freeze({ type: 'mapping', keys: Object.freeze(keys), required: Object.freeze([...required]) });
/** A mapping whose keys are names the user picks (netplan interfaces, reporters), each value by `values`. */
const named = (values: Rule | 'any'): Rule => Object.freeze({ type: 'mapping', values });
/** A mapping with these keys checked and any others let through (a reporter's own settings). */
const open = (keys: Record<string, Rule>, required: readonly string[]): Rule =>
  Object.freeze({ type: 'mapping', keys: Object.freeze(keys), required: Object.freeze([...required]), values: 'any' });

/** A command list: each command a shell string or an argv list. */
const commands = (): Rule => list(either(text(), list(text())));

/** A disk match spec as 22.04 and 24.04 both read it (globs, matched against udev's values). */
const diskMatch = (): Rule =>
  mapping({ serial: text(), model: text(), vendor: text(), path: text(), ssd: bool(), size: text(['largest', 'smallest']) });

/** netplan v2 for one ethernet: the keys render/cloud-init/network-config.ts writes, and a few common ones. */
const ethernet = (): Rule =>
  mapping({
    match: mapping({ name: text(), macaddress: text(), driver: text() }),
    'set-name': text(),
    dhcp4: bool(),
    dhcp6: bool(),
    addresses: list(text()),
    routes: list(mapping({ to: text(), via: text(), metric: integer(0) }, ['to', 'via'])),
    gateway4: text(),
    gateway6: text(),
    nameservers: mapping({ addresses: list(text()), search: list(text()) }),
    mtu: integer(1),
    optional: bool(),
  });

const netplan = (): Rule =>
  mapping(
    {
      version: integer(2, 2),
      renderer: text(['networkd', 'NetworkManager']),
      ethernets: named(ethernet()),
      // Kept opaque, as the installers' own schema keeps them.
      wifis: named('any'),
      bridges: named('any'),
      bonds: named('any'),
      tunnels: named('any'),
      vlans: named('any'),
    },
    ['version'],
  );

const AUTOINSTALL: Rule = Object.freeze(
  mapping(
    {
      version: integer(1, 1),
      'early-commands': commands(),
      'late-commands': commands(),
      'error-commands': commands(),
      reporting: named(open({ type: text() }, ['type'])),
      'refresh-installer': mapping({ update: bool(), channel: text() }),
      locale: text(),
      keyboard: mapping({ layout: text(), variant: text(), toggle: either(text(), nothing()) }, ['layout']),
      // netplan, or the 20.04 form with an extra `network:` level (both releases read either).
      network: either(netplan(), mapping({ network: netplan() }, ['network'])),
      proxy: either(text(), nothing()),
      apt: named('any'),
      storage: mapping({
        layout: mapping({ name: text(['lvm', 'direct']), match: diskMatch(), password: text(), 'sizing-policy': text(['scaled', 'all']) }, ['name']),
        config: list(named('any')),
        swap: named('any'),
        grub: named('any'),
      }),
      identity: mapping({ realname: text(), username: text(), hostname: text(), password: text() }, ['username', 'hostname', 'password']),
      ssh: mapping({ 'install-server': bool(), 'authorized-keys': list(text()), 'allow-pw': bool() }),
      drivers: mapping({ install: bool() }),
      snaps: list(mapping({ name: text(), channel: text(), classic: bool() }, ['name'])),
      'debconf-selections': text(),
      packages: list(text()),
      kernel: mapping({ package: text(), flavor: text() }),
      timezone: text(),
      updates: text(['security', 'all']),
      shutdown: text(['reboot', 'poweroff']),
      'ubuntu-advantage': mapping({ token: text() }),
      'user-data': named('any'),
    },
    ['version'],
  ),
);

/**
 * The problems of a cloud-config document's `autoinstall` section (none: the installers accept
 * it). Also the reference's rules that span keys: `identity` unless `user-data` is given, and
 * exactly one of a kernel's `package` and `flavor`.
 */
export function autoinstallProblems(document: unknown): AutoinstallProblem[] {
  if (!isMapping(document) || !('autoinstall' in document)) return [{ path: '', message: 'the document has no autoinstall section' }];
  const section = document.autoinstall;
  const problems: AutoinstallProblem[] = [];
  check(AUTOINSTALL, section, 'autoinstall', problems);
  if (isMapping(section)) {
    if (!('identity' in section) && !('user-data' in section)) problems.push({ path: 'autoinstall', message: 'needs identity unless user-data is given' });
    const kernel = section.kernel;
    if (isMapping(kernel) && ('package' in kernel) === ('flavor' in kernel)) problems.push({ path: 'autoinstall.kernel', message: 'needs exactly one of package and flavor' });
  }
  return problems;
}

function check(rule: Rule, value: unknown, path: string, problems: AutoinstallProblem[]): void {
  const wrong = (expected: string): void => {
    problems.push({ path, message: `must be ${expected}, not ${describe(value)}` });
  };
  switch (rule.type) {
    case 'string':
      if (typeof value !== 'string') return wrong('a string');
      if (rule.choices && !rule.choices.includes(value)) problems.push({ path, message: `must be one of ${rule.choices.join(', ')}, not '${value}'` });
      return;
    case 'boolean':
      if (typeof value !== 'boolean') wrong('true or false');
      return;
    case 'null':
      if (value !== null) wrong('null');
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return wrong('an integer');
      if ((rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max)) {
        problems.push({ path, message: rule.min === rule.max ? `must be ${rule.min}, not ${value}` : `is out of range (${value})` });
      }
      return;
    case 'list':
      if (!Array.isArray(value)) return wrong('a list');
      value.forEach((item, index) => check(rule.items, item, `${path}[${index}]`, problems));
      return;
    case 'either': {
      const first: AutoinstallProblem[] = [];
      for (const [index, option] of rule.rules.entries()) {
        const found: AutoinstallProblem[] = [];
        check(option, value, path, found);
        if (found.length === 0) return;
        if (index === 0) first.push(...found);
      }
      // Report against the first form (the one kindling writes): its problems name the key.
      problems.push(...first);
      return;
    }
    case 'mapping': {
      if (!isMapping(value)) return wrong('a mapping');
      for (const key of rule.required ?? []) if (!(key in value)) problems.push({ path, message: `needs the key '${key}'` });
      for (const [key, item] of Object.entries(value)) {
        const inner = `${path}.${key}`;
        const known = rule.keys && Object.hasOwn(rule.keys, key) ? rule.keys[key] : undefined;
        if (known) check(known, item, inner, problems);
        else if (rule.values === 'any') continue;
        else if (rule.values) check(rule.values, item, inner, problems);
        else problems.push({ path: inner, message: 'is not a key the autoinstall reference defines here' });
      }
      return;
    }
  }
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string '${value}'`;
  return `${typeof value} ${String(value)}`;
}
