/**
 * Every diagnostic code kindling can emit, with a one-line summary. Codes are stable identifiers
 * (tests and `--format json` consumers match on them); messages may be reworded.
 * Grouped by the stage that raises them. The Butane translator's and the Ignition validator's own
 * codes are in their errors tables (src/butane/errors.ts, src/ignition/errors.ts); a build reports
 * their entries about its generated configs under the render codes below (diagnostics/butane-report.ts).
 */
export const CODES = {
  // parse: reading files and YAML
  'io/unreadable': 'a file or directory could not be read',
  'io/not-a-directory': 'a directory was expected',
  'io/no-profiles': 'the profile directory holds no profile documents',
  'io/not-a-file': 'an input is a directory, FIFO, device or socket, not a regular file',
  'io/too-large': 'an input file is larger than the 16 MiB kindling reads',
  'io/outside-project': 'a local file or template lies outside the project and the folders it allows',
  'yaml/syntax': 'the YAML text could not be parsed',
  'yaml/duplicate-key': 'a mapping has the same key twice',
  'yaml/excessive-aliasing': 'aliases expand a document far beyond its written size',
  'yaml/ambiguous-number': 'a number with a leading zero is read differently by YAML 1.1 and 1.2',
  'yaml/not-a-mapping': 'a profile document must be a mapping',

  // validate: structure (JSON Schema) and meaning (semantic checks)
  'schema/unknown-key': 'a key the profile language does not define',
  'schema/missing-key': 'a required key is absent',
  'schema/type': 'a value has the wrong type',
  'schema/enum': 'a value is not one of the allowed choices',
  'schema/pattern': 'a value does not have the required form',
  'schema/range': 'a number or list is out of range',
  'schema/invalid': 'a value does not match the profile schema',
  'profile/unknown-kind': 'a document has a kind kindling does not know',
  'profile/no-cluster': 'no Cluster document was found',
  'profile/duplicate-cluster': 'more than one Cluster document was found',
  'profile/duplicate-role': 'two roles share a name',
  'profile/unknown-role': 'a node names a role that does not exist',
  'node/duplicate-name': 'two nodes share a name',
  'node/invalid-name': 'a node name is not a lower-case DNS-1123 name',
  'node/duplicate-ip': 'two nodes share an IP address',
  'node/duplicate-mac': 'two nodes (or one node twice) share a MAC address',
  'node/invalid-mac': 'a MAC address is malformed',
  'node/invalid-ip': 'an IP address is malformed',
  'node/invalid-interface': 'an interface name is not valid for Linux',
  'node/unknown-node': 'a --node argument names no node of the project',
  'cluster/invalid-name': 'the cluster name is not a lower-case DNS-1123 label',
  'role/invalid-name': 'a role name holds characters other than letters, digits, - _ and .',
  'net/invalid-cidr': 'a CIDR does not parse',
  'net/wrong-family': 'a CIDR or address is of the wrong IP family',
  'net/network-mismatch': 'flannel Network differs from the cluster CIDR',
  'net/ip-not-in-addresses': "a node's ip or ipv6 is none of its static network addresses",
  'net/gateway-outside-subnet': "a gateway lies outside the subnets of the node's addresses",
  'net/nameserver-unreachable': 'a nameserver is of an IP family the node has no static address of',
  'net/pod-network-overlap': "a node's subnet or address overlaps the pod network (cluster CIDR)",
  'net/api-server-in-pod-network': "the API server's address lies inside the pod network",
  'net/interface-mismatch': "the static network's NIC is not the interface flanneld is told to use",
  'flannel/host-gw-subnets': 'host-gw nodes are not all on one subnet',
  'flannel/backend-option': 'a backend option is not valid for the chosen backend',
  'flannel/backend-arch': 'the backend is not available on the node architecture',
  'flannel/dual-stack-backend': 'dual-stack needs the vxlan, host-gw or wireguard backend',
  'flannel/invalid-flag': 'an extra flanneld flag is malformed or managed by kindling',
  'file/invalid-path': 'a file path is not absolute and clean',
  'file/duplicate-path': 'two entries write the same path',
  'file/reserved-path': 'a profile file is at a folder kindling writes into, or below a file kindling writes',
  'file/invalid-mode': 'a file mode is out of range',
  'file/decimal-mode': 'a file mode looks like octal written without its leading zero',
  'file/read-only-path': 'a file lies under a path that is read-only on the node OS',
  'file/invalid-owner': 'an owner or group name is not valid',
  'unit/invalid-name': 'a systemd unit or drop-in name is not valid',
  'unit/unsafe-value': 'a value cannot be placed safely into a unit file',
  'unit/invalid-contents': 'a unit or drop-in does not parse as a unit file',
  'url/invalid': 'a URL does not parse',
  'url/insecure': 'a URL uses plain http where https is required',
  'url/unsafe': 'a URL holds characters that cannot be placed safely into a script',
  'artifact/unpinned': 'a download has no pinned hash',
  'artifact/unknown-version': 'no catalog entry exists for a component version and arch',
  'artifact/invalid-hash': 'a pinned hash is malformed',
  'secret/missing': 'a referenced secret file or environment variable is absent',
  'secret/invalid-token': 'a token is empty or has whitespace inside',
  'secret/invalid-ca': 'a CA file is not a PEM certificate',
  'secret/invalid-key': 'a client certificate or key file is not valid PEM',
  'secret/unprotected-channel': 'a secret would travel over a channel documented as unprotected',
  'template/error': 'a template failed to compile or render',

  // render: target-specific output checks
  'ignition/invalid': 'the generated Ignition config is invalid',
  'ignition/warning': 'Ignition would warn about the generated config',
  'butane/invalid': 'the generated Butane config did not translate',
  'cloud-init/invalid': 'the generated cloud-config is invalid',

  // pack and emit
  'size/over-budget': 'a payload is larger than its platform allows',
  'size/cmdline-too-long': 'a kernel command line is longer than 2,048 bytes',
  'emit/write-failed': 'the output directory could not be written',
  'emit/not-kindling-output': 'the output folder holds something kindling did not write',
  'emit/overlaps-project': 'the output folder is, contains or lies inside the profile folder',
  'emit/output-locked': 'another build is writing the same output folder',
  'emit/foreign-entry': 'a file someone put inside the output cannot be kept',
  'emit/output-modified': 'an output file was changed after kindling wrote it',
  'delivery/unknown-group': 'delivery.serveGroup names a group this machine does not know',
  'delivery/private-output': 'the output is published but readable only by the user who builds it',

  // cli
  'usage/invalid-option': 'a command-line option has an invalid value',
} as const satisfies Record<string, string>;

export type DiagnosticCode = keyof typeof CODES;
