/**
 * Every message the Ignition validator reports, in Ignition's words, each with a stable code
 * (as Ignition's config/shared/errors): the rule files name these and never write a message.
 * Codes are for programs and stay; a message may follow Ignition's wording when it changes.
 * Texts of the libraries Ignition uses (dataurl, go-systemd, aws arn) are here too, since
 * Ignition reports them as they are.
 */

/** A message as a rule reports it. */
export interface IgnitionMessage<C extends string = IgnitionCode> {
  readonly code: C;
  readonly message: string;
}

/** A message whose text holds details of the case (a key, a name); its code is the same for every case. */
export interface IgnitionMessageForm<C extends string, A extends readonly unknown[]> {
  readonly code: C;
  with(...details: A): IgnitionMessage<C>;
}

const fixed = <C extends string>(code: C, message: string): IgnitionMessage<C> => Object.freeze({ code, message });

function form<C extends string, A extends readonly unknown[]>(code: C, text: (...details: A) => string): IgnitionMessageForm<C, A> {
  return Object.freeze({ code, with: (...details: A): IgnitionMessage<C> => ({ code, message: text(...details) }) });
}

export const IGNITION_ERRORS = Object.freeze({
  // structure (the JSON Schema of the spec version)
  unusedKey: form('unused-key', (key: string) => `Unused key ${key}`),
  keyRequired: form('key-required', (key: string) => `${key} is required`),
  wrongType: form('wrong-type', (wanted: string, got: string) => `invalid type: expected ${wanted}, got ${got}`),
  schemaViolation: form('schema-violation', (keyword: string, schemaMessage?: string) => schemaMessage ?? `invalid value (${keyword})`),

  // ignition section
  configVersionUnparsable: fixed('config-version-unparsable', "invalid config version (couldn't parse)"),
  configVersionUnsupported: fixed('config-version-unsupported', 'unsupported config version'),
  proxyNotHttp: fixed('proxy-not-http', 'proxies must be http(s)'),
  insecureHttpsProxy: fixed('insecure-https-proxy', 'insecure plaintext HTTP proxy specified for HTTPS resources'),
  duplicateEntry: fixed('duplicate-entry', 'duplicate entry defined'),

  // paths
  pathNotSpecified: fixed('path-not-specified', 'path not specified'),
  pathNotAbsolute: fixed('path-not-absolute', 'path not absolute'),
  pathNotClean: fixed('path-not-clean', 'path is not fully simplified'),
  pathConflictsWithUnit: fixed('path-conflicts-with-unit', 'path conflicts with systemd unit or dropin'),

  // resources: URLs, hashes, compression, headers
  urlUnparsable: fixed('url-unparsable', 'unable to parse url'),
  urlScheme: fixed('url-scheme', 'invalid url scheme'),
  s3ArnFormat: fixed('s3-arn-format', 'invalid S3 ARN format'),
  arnPartition: fixed('arn-partition', 'arn: invalid partition'),
  arnService: fixed('arn-service', 'arn: invalid service'),
  arnResource: fixed('arn-resource', 'arn: invalid resource'),
  s3VersionId: fixed('s3-version-id', 'invalid S3 object VersionId'),
  sourceRequired: fixed('source-required', 'source is required'),
  hashMalformed: fixed('hash-malformed', 'malformed hash specifier'),
  hashFunction: fixed('hash-function', 'unrecognized hash function'),
  hashSize: fixed('hash-size', 'incorrect size for hash sum'),
  compression: fixed('compression', 'invalid compression method'),
  verificationWithoutSource: fixed('verification-without-source', 'source must be specified if verification is specified'),
  httpHeadersScheme: fixed('http-headers-scheme', 'cannot use HTTP headers with this source scheme'),
  httpHeaderNameEmpty: fixed('http-header-name-empty', "HTTP header name can't be empty"),
  httpHeaderUnparsable: fixed('http-header-unparsable', 'unable to parse HTTP header'),

  // data URLs (the dataurl library Ignition decodes them with)
  dataUrlNonAscii: fixed('data-url-non-ascii', 'rfc2396: non-ASCII char detected'),
  dataUrlEscapeEnd: fixed('data-url-escape-end', 'rfc2396: unexpected end of unescape sequence'),
  dataUrlEscapeChar: fixed('data-url-escape-char', 'rfc2396: invalid char 0x25 in unescape sequence'),
  dataUrlBase64: form('data-url-base64', (at: number) => `illegal base64 data at input byte ${at}`),
  dataUrlQuotedValue: fixed('data-url-quoted-value', 'invalid syntax'),
  dataUrlPrefix: fixed('data-url-prefix', 'missing data prefix'),
  dataUrlMediaType: fixed('data-url-media-type', 'invalid media type'),
  dataUrlMediaTypeSlash: fixed('data-url-media-type-slash', 'missing media type slash'),
  dataUrlMediaTypeChar: fixed('data-url-media-type-char', 'invalid character for media type'),
  dataUrlMediaTypeIncomplete: fixed('data-url-media-type-incomplete', 'incomplete media type'),
  dataUrlMediaSubtypeChar: fixed('data-url-media-subtype-char', 'invalid character for media subtype'),
  dataUrlComma: fixed('data-url-comma', 'missing comma before data'),
  dataUrlSeparator: fixed('data-url-separator', 'expected semicolon or comma'),
  dataUrlAfterPrefix: fixed('data-url-after-prefix', 'invalid character after data prefix'),
  dataUrlParameter: fixed('data-url-parameter', 'unterminated parameter sequence'),
  dataUrlAttributeChar: fixed('data-url-attribute-char', 'invalid character for parameter attribute'),
  dataUrlNotBase64: form('data-url-not-base64', (got: string) => `expected base64, got ${got}`),
  dataUrlUnclosedQuote: fixed('data-url-unclosed-quote', 'unclosed quoted string'),
  dataUrlEscapedChar: fixed('data-url-escaped-char', 'invalid escaped character'),
  dataUrlValueChar: fixed('data-url-value-char', 'invalid character for parameter value'),
  dataUrlDataChar: fixed('data-url-data-char', 'invalid data character'),

  // files, directories, links
  modeIllegal: fixed('mode-illegal', 'illegal file mode'),
  // Ignition before spec 3.6.0 drops these bits at boot; ignition-validate 2.14 says "...older than 3.4.0".
  modeSpecialBits: fixed('mode-special-bits', 'setuid/setgid/sticky bits are not supported or functional in spec versions older than 3.6.0'),
  ownerIdAndName: fixed('owner-id-and-name', 'cannot set both id and name'),
  overwriteWithoutSource: fixed('overwrite-without-source', 'overwrite must be false if source is unspecified'),
  directoryUnderLink: fixed('directory-under-link', 'directory path includes link in config'),
  fileUnderLink: fixed('file-under-link', 'file path includes link in config'),
  linkUnderLink: fixed('link-under-link', 'link path includes link in config'),
  linkTargetRequired: fixed('link-target-required', 'link target is required'),
  hardLinkToDirectory: fixed('hard-link-to-directory', 'hard link target is a directory'),
  hardLinkOwner: fixed('hard-link-owner', 'user/group ignored for hard link'),
  partitionsOverwritten: fixed('partitions-overwritten', 'filesystem overwrites partitioned device'),
  filesystemImplicitWipe: fixed('filesystem-implicit-wipe', 'device matches disk with wipeTable enabled; filesystem will be wiped'),

  // disks and partitions
  guidForm: fixed('guid-form', 'doesn\'t match the form "01234567-89AB-CDEF-EDCB-A98765432101"'),
  partitionDeletedWithOptions: fixed('partition-deleted-with-options', 'shouldExist specified false with other options also specified'),
  partitionUnnamed: fixed('partition-unnamed', 'a partition number >= 1 or a label must be specified'),
  partitionLabelTooLong: fixed('partition-label-too-long', 'partition labels may not exceed 36 characters'),
  partitionLabelColon: fixed('partition-label-colon', 'partition label will be truncated to text before the colon'),
  diskDeviceRequired: fixed('disk-device-required', 'disk device is required'),
  partitionNumbersCollide: fixed('partition-numbers-collide', 'partition numbers collide'),
  partitionsOverlap: fixed('partitions-overlap', 'partitions overlap'),
  partitionDeletedWithZero: fixed('partition-deleted-with-zero', 'shouldExist is false for a partition and other partition(s) has start or size 0'),
  partitionLabelTwice: fixed('partition-label-twice', 'cannot use the same partition label twice'),

  // filesystems
  filesystemFormatEmpty: fixed('filesystem-format-empty', 'format cannot be empty when path, label, uuid, wipeFilesystem, options, or mountOptions is specified'),
  filesystemFormat: fixed('filesystem-format', 'invalid filesystem format'),
  filesystemLabelWithoutFormat: fixed('filesystem-label-without-format', 'filesystem must specify format if label is specified'),
  filesystemLabelTooLong: form('filesystem-label-too-long', (limit: number, format: string) => `filesystem labels cannot be longer than ${limit} characters when using ${format}`),

  // LUKS and Clevis
  clevisCustomWithOthers: fixed('clevis-custom-with-others', 'cannot use custom clevis config with tpm2, tang, or threshold'),
  clevisPinMissing: fixed('clevis-pin-missing', 'missing required custom clevis pin'),
  clevisPin: fixed('clevis-pin', 'unsupported clevis pin'),
  clevisConfigMissing: fixed('clevis-config-missing', 'missing required custom clevis config'),
  tangThumbprintRequired: fixed('tang-thumbprint-required', 'thumbprint is required'),
  tangAdvertisement: fixed('tang-advertisement', 'advertisement is not valid JSON'),
  luksNameSlash: fixed('luks-name-slash', 'device names cannot contain slashes'),
  luksLabelTooLong: fixed('luks-label-too-long', 'luks device labels cannot be longer than 47 characters'),
  luksKeyFile: fixed('luks-key-file', 'invalid key-file source'),
  cexWithClevis: fixed('cex-with-clevis', 'cannot use cex with clevis'),
  cexWithKeyFile: fixed('cex-with-key-file', 'cannot use key file with cex'),

  // RAID
  raidLevelRequired: fixed('raid-level-required', 'raid level is required'),
  raidLevel: fixed('raid-level', 'unrecognized raid level'),
  raidSpares: fixed('raid-spares', 'spares unsupported for linear and raid0 arrays'),
  raidDevicesRequired: fixed('raid-devices-required', 'raid devices required'),

  // systemd
  unitExtension: fixed('unit-extension', 'invalid systemd unit extension'),
  dropinExtension: fixed('dropin-extension', 'invalid systemd drop-in extension'),
  unitContents: form('unit-contents', (detail: string) => `invalid unit content: ${detail}`),
  unitEnabledWithoutInstall: form('unit-enabled-without-install', (name: string) => `unit ${JSON.stringify(name)} is enabled, but has no install section so enable does nothing`),
  templateWithoutInstall: form('template-without-install', (template: string, name: string) => `template unit ${JSON.stringify(template)} for ${JSON.stringify(name)} doesn't have Install section`),
  // go-systemd's unit parser, whose text follows "invalid unit content: "
  unitSectionEnd: fixed('unit-section-end', 'unable to find end of section'),
  unitSectionGarbage: form('unit-section-garbage', (quoted: string) => `found garbage after section name : ${quoted}`),
  unitEof: fixed('unit-eof', 'EOF'),
  unitNewlineInName: fixed('unit-newline-in-name', 'unexpected newline encountered while parsing option name'),
  unitLineTooLong: form('unit-line-too-long', (max: number) => `line too long (max ${max} bytes)`),
});

export type IgnitionCode = (typeof IGNITION_ERRORS)[keyof typeof IGNITION_ERRORS]['code'];
