/**
 * Recording stand-ins for the two programs Flatcar's installer unit ends with: `flatcar-install`
 * (which would write the disk) and `systemctl` (whose `reboot` would end the session). They live in
 * an overlay layer of their own, at /usr/local/bin, which comes first on the PATH systemd (and the
 * unit runner) gives a service, so Debian's own systemctl underneath is never reached.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the stand-ins record what they were given (paths as on the node). */
export const RECORDS = {
  /** flatcar-install's arguments, one per line. */
  args: '/var/lib/kindling-test/flatcar-install.args',
  /** The sha512 (hex) of the file flatcar-install got as -i, taken when it was called. */
  configSha512: '/var/lib/kindling-test/flatcar-install.config-sha512',
  /** Every systemctl call's arguments, one call per line. */
  systemctl: '/var/lib/kindling-test/systemctl.calls',
} as const;

const FLATCAR_INSTALL = `#!/bin/sh
# Stand-in for flatcar-install: records its arguments and the sha512 of its -i file, writes no disk.
set -eu
mkdir -p /var/lib/kindling-test
printf '%s\\n' "$@" > ${RECORDS.args}
config=
while [ $# -gt 0 ]; do
  if [ "$1" = -i ]; then config=$2; fi
  shift
done
sha512sum "$config" | cut -d ' ' -f 1 > ${RECORDS.configSha512}
`;

const SYSTEMCTL = `#!/bin/sh
# Stand-in for systemctl: records the call (a reboot would end the session).
set -eu
mkdir -p /var/lib/kindling-test
printf '%s\\n' "$*" >> ${RECORDS.systemctl}
`;

export interface StandInLayer {
  /** The layer's root, for the chroot session's lowers (between the Ignition root and Debian). */
  readonly root: string;
  cleanup(): void;
}

export function installerStandIns(): StandInLayer {
  const root = mkdtempSync(join(tmpdir(), 'kindling-install-stand-ins-'));
  chmodSync(root, 0o755);
  const bin = join(root, 'usr/local/bin');
  mkdirSync(bin, { recursive: true, mode: 0o755 });
  for (const [name, text] of [['flatcar-install', FLATCAR_INSTALL], ['systemctl', SYSTEMCTL]] as const) {
    writeFileSync(join(bin, name), text);
    chmodSync(join(bin, name), 0o755);
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
