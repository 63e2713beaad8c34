/**
 * Every message the Butane translator reports, in Butane's words (its config/common/errors.go,
 * yaml.v3's and Go's for what they say), each with a stable code: the other files name these and
 * never write a message. Codes are for programs and stay; a message follows Butane's wording.
 * Problems the Ignition validator finds in the generated config keep Ignition's codes
 * (../ignition/errors.ts), prefixed `ignition/` in the report.
 */
import type { IgnitionCode } from '../ignition/errors.ts';

/** A message as the translator reports it. */
export interface ButaneMessage<C extends string = ButaneCode> {
  readonly code: C;
  readonly message: string;
}

/** A message whose text holds details of the case (a key, a line); its code is the same for every case. */
export interface ButaneMessageForm<C extends string, A extends readonly unknown[]> {
  readonly code: C;
  with(...details: A): ButaneMessage<C>;
}

const fixed = <C extends string>(code: C, message: string): ButaneMessage<C> => Object.freeze({ code, message });

function form<C extends string, A extends readonly unknown[]>(code: C, text: (...details: A) => string): ButaneMessageForm<C, A> {
  return Object.freeze({ code, with: (...details: A): ButaneMessage<C> => ({ code, message: text(...details) }) });
}

export const BUTANE_ERRORS = Object.freeze({
  // reading the YAML (yaml.v3's words)
  yamlSyntax: form('yaml-syntax', (line: number, reason: string) => `Error unmarshaling yaml: yaml: line ${line}: ${reason}`),
  yamlSequenceIndicator: form('yaml-sequence-indicator', (line: number) => `Error unmarshaling yaml: yaml: line ${line}: did not find expected '-' indicator`),
  yamlDuplicateKey: form('yaml-duplicate-key', (line: number, key: string, first: number) => `yaml: unmarshal errors:\n  line ${line}: mapping key "${key}" already defined at line ${first}`),
  yamlExcessiveAliasing: fixed('yaml-excessive-aliasing', 'yaml: document contains excessive aliasing'),
  typeMismatch: form('type-mismatch', (mismatches: readonly string[]) => `yaml: unmarshal errors:\n  ${mismatches.join('\n  ')}`),
  // Butane reads variant and version first, in a pass of its own that prefixes what yaml.v3 says.
  yamlUnmarshal: form('yaml-unmarshal', (problem: string) => `Error unmarshaling yaml: yaml: ${problem}`),
  versionTypeMismatch: form('version-type-mismatch', (mismatches: readonly string[]) => `Error unmarshaling yaml: yaml: unmarshal errors:\n  ${mismatches.join('\n  ')}`),
  yamlDecode: form('yaml-decode', (problem: string) => `yaml: ${problem}`),
  contextMismatch: form('context-mismatch', (path: string) => `context tree does not match content tree at ${path}. Line and column reporting may be inconsistent. Unused keys may not be reported`),

  // variant and version
  variantMissing: fixed('variant-missing', 'error parsing variant; must be specified'),
  variantRhcos: fixed('variant-rhcos', 'rhcos variant has been removed; use openshift variant instead: https://coreos.github.io/butane/upgrading-openshift/'),
  versionNotSemver: fixed('version-not-semver', 'error parsing version; must be a valid semver'),
  noTranslator: form('no-translator', (variant: string, version: string) => `No translator exists for variant ${variant} with version ${version}`),
  notImplemented: form('not-implemented', (implemented: string, variant: string, version: string) => `kindling implements only ${implemented}, not variant ${variant} with version ${version}`),

  // the end of a failed translation
  sourceInvalid: fixed('source-invalid', 'source config is invalid'),
  generatedInvalid: fixed('generated-invalid', 'config generated was invalid'),
  strictWarnings: fixed('strict-warnings', 'Config produced warnings and --strict was specified'),

  // the source config
  unusedKey: form('unused-key', (key: string) => `unused key ${key}`),
  tooManySources: fixed('too-many-sources', 'only one of the following can be set: inline, local, source'),
  tooManyUnitSources: fixed('too-many-unit-sources', 'only one of the following can be set: contents, contents_local'),
  decimalMode: fixed('decimal-mode', 'unreasonable mode would be reasonable if specified in octal; remember to add a leading zero'),
  mountUnitFormat: fixed('mount-unit-format', 'format is required if with_mount_unit is true'),
  mountUnitPath: fixed('mount-unit-path', 'path is required if with_mount_unit is true and format is not swap'),
  // Butane words the layout error alike for every fcos version, listing the s390x layouts that only 1.6.0 accepts.
  bootDeviceLayout: fixed('boot-device-layout', 'layout must be one of: aarch64, ppc64le, s390x-eckd, s390x-virt, s390x-zfcp, x86_64'),
  mirrorDevices: fixed('mirror-devices', 'mirroring requires at least two devices'),
  bootDeviceLuksDevice: fixed('boot-device-luks-device', 'device is required for layouts: s390x-eckd, s390x-zfcp'),
  bootDeviceLuksDeviceName: fixed('boot-device-luks-device-name', 'device name must start with /dev/dasd on s390x-eckd layout or /dev/sd on s390x-zfcp layout'),
  mirrorNotSupported: fixed('mirror-not-supported', 'mirroring not supported on layouts: s390x-eckd, s390x-zfcp, s390x-virt'),
  cexArchitecture: fixed('cex-architecture', 'when using cex the targeted architecture must match s390x'),
  cexWithClevis: fixed('cex-with-clevis', 'cannot use cex with clevis'),
  partitionReuseByLabel: fixed('partition-reuse-by-label', 'partitions cannot be reused by label; number must be specified except on boot disk (/dev/disk/by-id/coreos-boot-disk) or when wipe_table is true'),
  mountPointForbidden: fixed('mount-point-forbidden', 'path must be under /etc or /var if with_mount_unit is true'),
  grubUserName: fixed('grub-user-name', 'field "name" is required'),
  grubUserPassword: fixed('grub-user-password', 'field "password_hash" is required'),

  // local files and trees
  noFilesDir: fixed('no-files-dir', 'local file paths are relative to a files directory that must be specified with -d/--files-dir'),
  filesDirEscape: fixed('files-dir-escape', 'local file path traverses outside the files directory'),
  localFile: form('local-file', (readerError: string) => readerError),
  treeNotDirectory: fixed('tree-not-directory', 'root of tree must be a directory'),
  treeLocalRequired: fixed('tree-local-required', 'local is required'),
  treeFileType: fixed('tree-file-type', 'trees may only contain files, directories, and symlinks'),
  treeNodeExists: fixed('tree-node-exists', 'matching filesystem node has existing contents or different type'),

  // inline merge/replace configs (Go encoding/json's words)
  inlineConfigJson: form('inline-config-json', (jsonError: string) => jsonError),
  inlineConfigInvalid: fixed('inline-config-invalid', 'config is not valid'),
  inlineConfigVersion: fixed('inline-config-version', 'skipping validation for the merge/replace ignition config due to an unkown version'),

  // variant rules
  reservedPartitionLabel: fixed('reserved-partition-label', 'incorrect partition number; a new partition will be created using reserved label'),
  clevisUnsupported: fixed('clevis-unsupported', 'clevis is not supported in this spec version'),
});

export type ButaneCode = (typeof BUTANE_ERRORS)[keyof typeof BUTANE_ERRORS]['code'];

/** The code of a report entry: Butane's own, or Ignition's for a problem of the generated config. */
export type ButaneReportCode = ButaneCode | `ignition/${IgnitionCode}`;

/** What Butane prints before the reason of a failed translation. */
export const translationFailed = (reason: string): string => `Error translating config: ${reason}`;

/** yaml.v3's words for what it refuses while reading and decoding (after its "yaml: "). */
export const YAML_V3_PROBLEMS = Object.freeze({
  unknownAnchor: (name: string): string => `unknown anchor '${name}' referenced`,
  containsItself: (name: string): string => `anchor '${name}' value contains itself`,
  cannotDecode: (tag: string, text: string, wanted: string): string => `cannot decode ${tag} \`${text}\` as a ${wanted}`,
  incompatibleDocument: 'found incompatible YAML document',
  duplicateDirective: 'found duplicate %YAML directive',
  mergeWantsMap: 'map merge requires map or sequence of maps as the value',
  badBinary: '!!binary value contains invalid base64 data',
  /** Listed under typeMismatch, as yaml.v3 lists it among its unmarshal errors. */
  duplicateKey: (line: number, key: string, first: number): string => `line ${line}: mapping key ${key} already defined at line ${first}`,
});

/** yaml.v3's text for one value of the wrong type, listed under typeMismatch. */
export const typeMismatchLine = (line: number, tag: string, shown: string, goType: string): string =>
  `line ${line}: cannot unmarshal ${tag}${shown} into ${goType}`;

/** Go encoding/json's words for the syntax errors of an inline config. */
export const GO_JSON_ERRORS = Object.freeze({
  endOfInput: 'unexpected end of JSON input',
  character: (character: string): string => `invalid character '${character}' looking for beginning of value`,
});

/** Go's words for the operating system's errors, by Node's error code (the fs reader prints them as Go does). */
export const GO_OS_ERRORS: Readonly<Record<string, string>> = Object.freeze({
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
});

/** What js-yaml says where yaml.v3 says "did not find expected '-' indicator". */
export const JS_YAML_BAD_SEQUENCE_INDENT = 'bad indentation of a sequence entry';
