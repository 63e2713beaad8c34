/**
 * Just enough of systemd's unit-file semantics to "boot" the oneshot units a first-boot config
 * enables (install/extract units) inside a chroot, where systemd itself is not PID 1: sections,
 * drop-ins, line continuations, Environment=/EnvironmentFile=, Exec* command lines with their
 * prefixes, quoting, $VAR/${VAR} expansion and the common specifiers, After=/Before= ordering and
 * ConditionPathExists=. It is a test aid, not a reimplementation: anything it does not understand
 * is reported by throwing, never guessed.
 */

export interface UnitFile {
  readonly name: string;
  /** section → key → values in order (repeated keys accumulate; an empty value resets, as systemd does). */
  readonly sections: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
}

/** Parses one or more unit fragments (the unit, then its drop-ins in order) into one view. */
export function parseUnit(name: string, fragments: readonly string[]): UnitFile {
  const sections = new Map<string, Map<string, string[]>>();
  for (const text of fragments) {
    let section = '';
    const lines = text.replace(/\\\n/g, ' ').split('\n');
    for (const raw of lines) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
      const header = /^\[(.+)\]$/.exec(line);
      if (header?.[1]) {
        section = header[1];
        if (!sections.has(section)) sections.set(section, new Map());
        continue;
      }
      const eq = line.indexOf('=');
      if (eq < 0) throw new Error(`${name}: not a key=value line: ${line}`);
      const key = line.slice(0, eq).trim();
      const value = line.slice(eq + 1).trim();
      const keys = sections.get(section) ?? new Map<string, string[]>();
      sections.set(section, keys);
      if (value === '') keys.set(key, []);
      else keys.set(key, [...(keys.get(key) ?? []), value]);
    }
  }
  return { name, sections };
}

export function unitValues(unit: UnitFile, section: string, key: string): readonly string[] {
  return unit.sections.get(section)?.get(key) ?? [];
}

export function unitValue(unit: UnitFile, section: string, key: string): string | undefined {
  return unitValues(unit, section, key).at(-1);
}

/** Whitespace-separated unit names from keys like After=, Before=, WantedBy=. */
export function unitList(unit: UnitFile, section: string, key: string): string[] {
  return unitValues(unit, section, key).flatMap((value) => value.split(/\s+/).filter(Boolean));
}

const C_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'", s: ' ' };

/**
 * Splits a value into words the way systemd does: whitespace separates, "..." and '...' quote
 * (whole words), backslash escapes C-style. Returns each word with whether it was quoted.
 */
export function splitWords(value: string): { word: string; quoted: boolean }[] {
  const words: { word: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /\s/.test(value.charAt(i))) i++;
    if (i >= value.length) break;
    let word = '';
    let quoted = false;
    while (i < value.length && !/\s/.test(value.charAt(i))) {
      const c = value.charAt(i);
      if (c === '"' || c === "'") {
        quoted = true;
        const close = value.indexOf(c, i + 1);
        if (close < 0) throw new Error(`unterminated quote in: ${value}`);
        let inner = value.slice(i + 1, close);
        if (c === '"') inner = inner.replace(/\\(.)/g, (_, e: string) => C_ESCAPES[e] ?? e);
        word += inner;
        i = close + 1;
      } else if (c === '\\' && i + 1 < value.length) {
        const e = value.charAt(i + 1);
        word += C_ESCAPES[e] ?? e;
        i += 2;
      } else {
        word += c;
        i++;
      }
    }
    words.push({ word, quoted });
  }
  return words;
}

/** Specifiers (systemd.unit(5)) that matter for first-boot units run as root. */
export function expandSpecifiers(text: string, unitName: string): string {
  const at = unitName.indexOf('@');
  const dot = unitName.lastIndexOf('.');
  const prefix = at >= 0 ? unitName.slice(0, at) : unitName.slice(0, dot);
  const instance = at >= 0 ? unitName.slice(at + 1, dot) : '';
  const table: Readonly<Record<string, string>> = {
    '%': '%', n: unitName, N: unitName.slice(0, dot), p: prefix, i: instance, I: instance,
    t: '/run', S: '/var/lib', C: '/var/cache', L: '/var/log', E: '/etc', h: '/root', u: 'root', U: '0', T: '/tmp', V: '/var/tmp',
  };
  return text.replace(/%(.)/g, (whole, spec: string) => {
    const value = table[spec];
    if (value === undefined) throw new Error(`${unitName}: specifier ${whole} is not supported by the test unit runner`);
    return value;
  });
}

export function parseEnvironment(unit: UnitFile): Record<string, string> {
  const env: Record<string, string> = {};
  for (const value of unitValues(unit, 'Service', 'Environment')) {
    for (const { word } of splitWords(expandSpecifiers(value, unit.name))) {
      const eq = word.indexOf('=');
      if (eq > 0) env[word.slice(0, eq)] = word.slice(eq + 1);
    }
  }
  return env;
}

/** KEY=VALUE lines of an EnvironmentFile (comments and blank lines skipped, one level of quotes removed). */
export function parseEnvironmentFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) value = value.slice(1, -1);
    env[line.slice(0, eq).trim()] = value;
  }
  return env;
}

export interface ExecCommand {
  readonly argv: readonly string[];
  /** The `-` prefix: a failure does not fail the unit. */
  readonly ignoreFailure: boolean;
  /** The text as written, for reports. */
  readonly line: string;
}

/** One Exec*= line → argv, with prefixes handled and variables expanded from `env`. */
export function parseExec(line: string, unitName: string, env: Readonly<Record<string, string>>): ExecCommand {
  const prefixes = /^[-@:+!]*/.exec(line)?.[0] ?? '';
  if (prefixes.includes('@')) throw new Error(`${unitName}: the @ prefix is not supported by the test unit runner`);
  const body = line.slice(prefixes.length);
  const argv: string[] = [];
  const raw = splitWords(expandSpecifiers(body, unitName));
  for (const [index, { word, quoted }] of raw.entries()) {
    const whole = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(word);
    if (!prefixes.includes(':') && whole?.[1] && !quoted && index > 0) {
      // `$VAR` as a whole word is split on whitespace; `${VAR}` is substituted as one word.
      argv.push(...(env[whole[1]] ?? '').split(/\s+/).filter(Boolean));
      continue;
    }
    argv.push(
      prefixes.includes(':')
        ? word
        : word.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, key: string) => env[key] ?? ''),
    );
  }
  if (argv.length === 0) throw new Error(`${unitName}: empty command line: ${line}`);
  return { argv, ignoreFailure: prefixes.includes('-'), line };
}

/**
 * Orders units so that each runs after the ones it names in After= (and before those naming it in
 * Before=), restricted to the given set; ties keep name order so runs are repeatable.
 */
export function orderUnits(units: readonly UnitFile[]): UnitFile[] {
  const byName = new Map(units.map((u) => [u.name, u]));
  const after = new Map<string, Set<string>>(units.map((u) => [u.name, new Set<string>()]));
  for (const u of units) {
    for (const other of unitList(u, 'Unit', 'After')) if (byName.has(other)) after.get(u.name)?.add(other);
    for (const other of unitList(u, 'Unit', 'Before')) if (byName.has(other)) after.get(other)?.add(u.name);
  }
  const ordered: UnitFile[] = [];
  const done = new Set<string>();
  const pending = [...units].sort((a, b) => a.name.localeCompare(b.name));
  while (pending.length > 0) {
    const index = pending.findIndex((u) => [...(after.get(u.name) ?? [])].every((dep) => done.has(dep)));
    if (index < 0) throw new Error(`ordering cycle among: ${pending.map((u) => u.name).join(', ')}`);
    const [next] = pending.splice(index, 1);
    if (next) {
      ordered.push(next);
      done.add(next.name);
    }
  }
  return ordered;
}
