/**
 * The shape of Butane configs (base v0_4 → Ignition 3.3.0, base v0_5 → Ignition 3.4.0, base
 * v0_6 → Ignition 3.5.0) as one table per struct.
 *
 * Field order is the Ignition Go struct order, because that is the key order Butane's JSON
 * encoder writes; Butane-only fields (no `json`) sit anywhere since they are never emitted.
 * `out` says when the Go encoder writes a field: `ptr` = pointer (written whenever set, even
 * false/0/""), `omit` = omitempty value (written when non-zero), `req` = plain field without
 * omitempty (always written).
 */

export type BaseVersion = 4 | 5 | 6;

export type StructName =
  | 'Config' | 'Ignition' | 'IgnitionConfig' | 'Proxy' | 'Security' | 'TLS' | 'Timeouts' | 'Resource'
  | 'HTTPHeader' | 'Verification' | 'KernelArguments' | 'Passwd' | 'PasswdUser' | 'PasswdGroup' | 'Storage'
  | 'Tree' | 'NodeUser' | 'NodeGroup' | 'File' | 'Directory' | 'Link' | 'Disk' | 'Partition' | 'Filesystem'
  | 'Luks' | 'Cex' | 'Clevis' | 'ClevisCustom' | 'Tang' | 'Raid' | 'Systemd' | 'Unit' | 'Dropin' | 'BootDevice'
  | 'BootDeviceLuks' | 'BootDeviceMirror' | 'Grub' | 'GrubUser';

export type FieldType = 'string' | 'int' | 'bool' | { readonly struct: StructName } | { readonly list: FieldType };

export interface FieldDef {
  readonly yaml: string;
  /** Ignition JSON key; absent for Butane-only sugar. */
  readonly json?: string;
  readonly type: FieldType;
  readonly out: 'ptr' | 'omit' | 'req';
  /** First base version that has the field. */
  readonly since?: BaseVersion;
  /** Only in the fcos variant (boot_device, grub). */
  readonly fcosOnly?: boolean;
}

const str = 'string' as const;
const int = 'int' as const;
const bool = 'bool' as const;
const s = (name: StructName): FieldType => ({ struct: name });
const list = (of: FieldType): FieldType => ({ list: of });

function f(yaml: string, type: FieldType, out: FieldDef['out'], extra: Partial<FieldDef> = {}): FieldDef {
  return { yaml, json: camel(yaml), type, out, ...extra };
}
/** A Butane-only key: decoded and desugared, never emitted as-is. */
function sugar(yaml: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef {
  return { yaml, type, out: 'ptr', ...extra };
}

/** Butane's Camel(): snake_case → camelCase, with the `_mib` → `MiB` special case. */
function camel(snake: string): string {
  return snake.replace(/_mib$/, 'MiB').replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** The inverse used when a report path has no recorded translation (Butane does the same). */
export function snake(camelName: string): string {
  return camelName.replace(/MiB$/, '_mib').replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
}

const nodeFields = [
  f('group', s('NodeGroup'), 'omit'),
  f('overwrite', bool, 'ptr'),
  f('path', str, 'req'),
  f('user', s('NodeUser'), 'omit'),
];

const DEFS: Record<StructName, FieldDef[]> = {
  Config: [
    sugar('version', str),
    sugar('variant', str),
    f('ignition', s('Ignition'), 'req'),
    f('kernel_arguments', s('KernelArguments'), 'omit'),
    f('passwd', s('Passwd'), 'omit'),
    f('storage', s('Storage'), 'omit'),
    f('systemd', s('Systemd'), 'omit'),
    sugar('boot_device', s('BootDevice'), { fcosOnly: true }),
    sugar('grub', s('Grub'), { fcosOnly: true, since: 5 }),
  ],
  Ignition: [
    f('config', s('IgnitionConfig'), 'omit'),
    f('proxy', s('Proxy'), 'omit'),
    f('security', s('Security'), 'omit'),
    f('timeouts', s('Timeouts'), 'omit'),
  ],
  IgnitionConfig: [f('merge', list(s('Resource')), 'omit'), f('replace', s('Resource'), 'omit')],
  Proxy: [f('http_proxy', str, 'ptr'), f('https_proxy', str, 'ptr'), f('no_proxy', list(str), 'omit')],
  Security: [f('tls', s('TLS'), 'omit')],
  TLS: [f('certificate_authorities', list(s('Resource')), 'omit')],
  Timeouts: [f('http_response_headers', int, 'ptr'), f('http_total', int, 'ptr')],
  Resource: [
    f('compression', str, 'ptr'),
    f('http_headers', list(s('HTTPHeader')), 'omit'),
    f('source', str, 'ptr'),
    f('verification', s('Verification'), 'omit'),
    sugar('inline', str),
    sugar('local', str),
  ],
  HTTPHeader: [f('name', str, 'req'), f('value', str, 'ptr')],
  Verification: [f('hash', str, 'ptr')],
  KernelArguments: [f('should_exist', list(str), 'omit'), f('should_not_exist', list(str), 'omit')],
  Passwd: [f('groups', list(s('PasswdGroup')), 'omit'), f('users', list(s('PasswdUser')), 'omit')],
  PasswdUser: [
    f('gecos', str, 'ptr'),
    f('groups', list(str), 'omit'),
    f('home_dir', str, 'ptr'),
    f('name', str, 'req'),
    f('no_create_home', bool, 'ptr'),
    f('no_log_init', bool, 'ptr'),
    f('no_user_group', bool, 'ptr'),
    f('password_hash', str, 'ptr'),
    f('primary_group', str, 'ptr'),
    f('ssh_authorized_keys', list(str), 'omit'),
    f('shell', str, 'ptr'),
    f('should_exist', bool, 'ptr'),
    f('system', bool, 'ptr'),
    f('uid', int, 'ptr'),
    sugar('ssh_authorized_keys_local', list(str), { since: 5 }),
  ],
  PasswdGroup: [
    f('gid', int, 'ptr'),
    f('name', str, 'req'),
    f('password_hash', str, 'ptr'),
    f('should_exist', bool, 'ptr'),
    f('system', bool, 'ptr'),
  ],
  Storage: [
    f('directories', list(s('Directory')), 'omit'),
    f('disks', list(s('Disk')), 'omit'),
    f('files', list(s('File')), 'omit'),
    f('filesystems', list(s('Filesystem')), 'omit'),
    f('links', list(s('Link')), 'omit'),
    f('luks', list(s('Luks')), 'omit'),
    f('raid', list(s('Raid')), 'omit'),
    sugar('trees', list(s('Tree'))),
  ],
  Tree: [sugar('local', str), sugar('path', str)],
  NodeUser: [f('id', int, 'ptr'), f('name', str, 'ptr')],
  NodeGroup: [f('id', int, 'ptr'), f('name', str, 'ptr')],
  File: [...nodeFields, f('append', list(s('Resource')), 'omit'), f('contents', s('Resource'), 'omit'), f('mode', int, 'ptr')],
  Directory: [...nodeFields, f('mode', int, 'ptr')],
  Link: [...nodeFields, f('hard', bool, 'ptr'), f('target', str, 'ptr')],
  Disk: [f('device', str, 'req'), f('partitions', list(s('Partition')), 'omit'), f('wipe_table', bool, 'ptr')],
  Partition: [
    f('guid', str, 'ptr'),
    f('label', str, 'ptr'),
    f('number', int, 'omit'),
    f('resize', bool, 'ptr'),
    f('should_exist', bool, 'ptr'),
    f('size_mib', int, 'ptr'),
    f('start_mib', int, 'ptr'),
    f('type_guid', str, 'ptr'),
    f('wipe_partition_entry', bool, 'ptr'),
  ],
  Filesystem: [
    f('device', str, 'req'),
    f('format', str, 'ptr'),
    f('label', str, 'ptr'),
    f('mount_options', list(str), 'omit'),
    f('options', list(str), 'omit'),
    f('path', str, 'ptr'),
    f('uuid', str, 'ptr'),
    f('wipe_filesystem', bool, 'ptr'),
    sugar('with_mount_unit', bool),
  ],
  Luks: [
    f('cex', s('Cex'), 'omit', { since: 6 }),
    f('clevis', s('Clevis'), 'omit'),
    f('device', str, 'ptr'),
    f('discard', bool, 'ptr', { since: 5 }),
    f('key_file', s('Resource'), 'omit'),
    f('label', str, 'ptr'),
    f('name', str, 'req'),
    f('open_options', list(str), 'omit', { since: 5 }),
    f('options', list(str), 'omit'),
    f('uuid', str, 'ptr'),
    f('wipe_volume', bool, 'ptr'),
  ],
  Cex: [f('enabled', bool, 'ptr')],
  Clevis: [
    f('custom', s('ClevisCustom'), 'omit'),
    f('tang', list(s('Tang')), 'omit'),
    f('threshold', int, 'ptr'),
    f('tpm2', bool, 'ptr'),
  ],
  ClevisCustom: [f('config', str, 'ptr'), f('needs_network', bool, 'ptr'), f('pin', str, 'ptr')],
  Tang: [f('advertisement', str, 'ptr', { since: 5 }), f('thumbprint', str, 'ptr'), f('url', str, 'req')],
  Raid: [
    f('devices', list(str), 'omit'),
    f('level', str, 'ptr'),
    f('name', str, 'req'),
    f('options', list(str), 'omit'),
    f('spares', int, 'ptr'),
  ],
  Systemd: [f('units', list(s('Unit')), 'omit')],
  Unit: [
    f('contents', str, 'ptr'),
    f('dropins', list(s('Dropin')), 'omit'),
    f('enabled', bool, 'ptr'),
    f('mask', bool, 'ptr'),
    f('name', str, 'req'),
    sugar('contents_local', str, { since: 5 }),
  ],
  Dropin: [f('contents', str, 'ptr'), f('name', str, 'req'), sugar('contents_local', str, { since: 5 })],
  // fcos sugar
  BootDevice: [
    sugar('layout', str),
    sugar('luks', s('BootDeviceLuks')),
    sugar('mirror', s('BootDeviceMirror')),
  ],
  BootDeviceLuks: [
    sugar('cex', s('Cex'), { since: 6 }),
    sugar('discard', bool, { since: 5 }),
    sugar('device', str, { since: 6 }),
    sugar('tang', list(s('Tang'))),
    sugar('threshold', int),
    sugar('tpm2', bool),
  ],
  BootDeviceMirror: [sugar('devices', list(str))],
  Grub: [sugar('users', list(s('GrubUser')))],
  GrubUser: [sugar('name', str), sugar('password_hash', str)],
};


/**
 * The structs of the fcos variant's own Go package (v1_N), not of the base (v0_N): yaml.v3 names
 * the package of a struct in its type errors.
 */
const VARIANT_STRUCTS: ReadonlySet<StructName> = new Set(['BootDevice', 'BootDeviceLuks', 'BootDeviceMirror', 'Grub', 'GrubUser']);

export interface CompiledStruct {
  readonly name: StructName;
  /** Whose Go package declares the struct: the base schema's or the variant's. */
  readonly goPackage: 'base' | 'variant';
  /** Fields present in this version/variant, in Go order. */
  readonly fields: readonly FieldDef[];
  readonly byYaml: ReadonlyMap<string, FieldDef>;
}

export type Schema = Readonly<Record<StructName, CompiledStruct>>;

function compileSchema(base: BaseVersion, fcos: boolean): Schema {
  const out = {} as Record<StructName, CompiledStruct>;
  for (const [name, fields] of Object.entries(DEFS) as [StructName, FieldDef[]][]) {
    const kept = fields.filter((fd) => (fd.since ?? 4) <= base && (!fd.fcosOnly || fcos));
    const goPackage = VARIANT_STRUCTS.has(name) ? 'variant' : 'base';
    out[name] = Object.freeze({ name, goPackage, fields: Object.freeze(kept), byYaml: new Map(kept.map((fd) => [fd.yaml, fd])) });
  }
  return Object.freeze(out);
}

/** The struct tables of every base version and variant, made once when the module loads. */
const SCHEMAS: Readonly<Record<`${BaseVersion}/${boolean}`, Schema>> = Object.freeze({
  '4/false': compileSchema(4, false),
  '4/true': compileSchema(4, true),
  '5/false': compileSchema(5, false),
  '5/true': compileSchema(5, true),
  '6/false': compileSchema(6, false),
  '6/true': compileSchema(6, true),
});

/** The struct tables for one base version and variant. */
export function schemaFor(base: BaseVersion, fcos: boolean): Schema {
  return SCHEMAS[`${base}/${fcos}`];
}
