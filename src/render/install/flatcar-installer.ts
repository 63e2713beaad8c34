/**
 * Flatcar's install to disk, in two stages (pure): the PXE image boots the small installer config
 * nodes/<node>/install.ign made here; its oneshot unit fetches the node's own config.ign from
 * publishURL, checks it against the sha512 of the exact bytes this build wrote, runs
 * `flatcar-install -d <disk> -C <channel> -V <version> [-b <mirror>] -i <config>` (which copies the
 * config to the installed system's OEM partition, where its first boot's Ignition reads it) and
 * reboots into the installed system.
 *
 * - install.ign holds no credential: config.ign does, and travels over the publish URL as it does
 *   for a live boot. The hash only lets the installer refuse a config other than the one built.
 * - The hash pins the installer to one build of config.ign: a rebuild that changes config.ign
 *   rewrites install.ign with it (both come out of the same node build).
 * - A mismatch, a failed download or a failed flatcar-install fails the unit before the reboot, so
 *   the machine stays in the PXE system with the error on its console and in the journal.
 */
import { butaneVersionFor } from '../../butane/variants.ts';
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { ResolvedInstall, ResolvedNode } from '../../resolve/project-model.ts';
import { translateButaneDocument } from '../../butane/index.ts';
import { shellQuote } from '../../plan/shell-quote.ts';
import { nodeConfigBase } from '../pxe/kernel-args.ts';

const SCRIPT_PATH = '/opt/kindling-install';
const UNIT_NAME = 'kindling-install.service';
/** Where the fetched config waits for flatcar-install: tmpfs in the PXE system, private (umask 077). */
const CONFIG_DIR = '/run/kindling-install';

/** The installer script: every value it holds is one shell word. */
function installerScript(install: ResolvedInstall, configURL: string, configSha512: string): string {
  const { disk, flatcar } = install;
  // Validation already limits each value (the disk's pattern, the channel's enum, the version's
  // pattern, the URL rules), so none of them holds shell syntax; each is quoted all the same, so
  // that a value a later rule lets through can still never be read as anything but one word.
  const command = [
    'flatcar-install',
    '-d', shellQuote(disk),
    '-C', shellQuote(flatcar.channel),
    '-V', shellQuote(flatcar.version),
    ...(flatcar.baseURL !== undefined ? ['-b', shellQuote(flatcar.baseURL)] : []),
    '-i', '"$config"',
  ].join(' ');
  return [
    '#!/bin/bash',
    "# Installs Flatcar to this node's disk with its own config.ign, then reboots into it.",
    '# Written by kindling: the expected hash is that of the config.ign the same build wrote.',
    'set -euo pipefail',
    'umask 077',
    `url=${shellQuote(configURL)}`,
    `expected=${shellQuote(configSha512)}`,
    `config=${CONFIG_DIR}/config.ign`,
    `mkdir -p ${CONFIG_DIR}`,
    'echo "kindling-install: fetching $url"',
    'curl -fsSL --retry 10 --retry-delay 3 --retry-connrefused --connect-timeout 10 -o "$config" "$url"',
    'actual=$(sha512sum "$config" | cut -d \' \' -f 1)',
    'if [ "$actual" != "$expected" ]; then',
    '  echo "kindling-install: $url has sha512 $actual, but this installer was built for $expected; not installing" >&2',
    '  exit 1',
    'fi',
    'echo "kindling-install: the config matches; running flatcar-install"',
    command,
    'systemctl reboot',
    '',
  ].join('\n');
}

function installerUnit(): string {
  return [
    '[Unit]',
    "Description=Install Flatcar to disk with this node's config from kindling, then reboot",
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=oneshot',
    `ExecStart=${SCRIPT_PATH}`,
    'StandardOutput=journal+console',
    'StandardError=journal+console',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/**
 * install.ign for a node that installs Flatcar to disk, translated and validated by kindling's
 * Butane translator (variant flatcar, for the node's Ignition version) like every other config.
 * `config`: the exact bytes of the node's config.ign as the build writes them.
 */
export function flatcarInstaller(
  node: Pick<ResolvedNode, 'name' | 'ignitionVersion'>,
  install: ResolvedInstall,
  config: Uint8Array,
  publishURL: string,
): { ignition?: string; diagnostics: Diagnostic[] } {
  const configURL = `${nodeConfigBase(publishURL, node.name)}config.ign`;
  const sha512 = createHash('sha512').update(config).digest('hex');
  const document = {
    variant: 'flatcar',
    version: butaneVersionFor('flatcar', node.ignitionVersion),
    storage: { files: [{ path: SCRIPT_PATH, mode: 0o700, contents: { inline: installerScript(install, configURL, sha512) } }] },
    systemd: { units: [{ name: UNIT_NAME, enabled: true, contents: installerUnit() }] },
  };
  const result = translateButaneDocument(document);
  if (result.ok && result.output !== undefined && result.report.length === 0) return { ignition: result.output, diagnostics: [] };
  const said = [...result.report.map((entry) => entry.message), ...(result.fatal !== undefined ? [result.fatal] : [])].join('; ');
  return {
    diagnostics: [
      {
        code: 'butane/invalid',
        severity: 'error',
        message: `node ${node.name}: the generated installer config install.ign did not translate cleanly: ${said}`,
        hint: 'this is most likely a kindling bug; please report it with the profile',
        location: install.origin,
      },
    ],
  };
}
