import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { flatcarInstaller } from '../../../src/render/install/flatcar-installer.ts';
import type { ResolvedInstall } from '../../../src/resolve/project-model.ts';
import { runIgnitionValidate } from '../../helpers/ignition-validate.ts';
import { systemdVerify } from '../../helpers/systemd-verify.ts';
import { spawnSync } from 'node:child_process';

const PUBLISH = 'http://10.0.0.1:8080/lab/';
const CONFIG = Buffer.from('{"ignition":{"version":"3.3.0"},"passwd":{}}\n', 'utf8');
const ORIGIN = { file: 'nodes.yaml', line: 1, column: 1 };

function install(flatcar: ResolvedInstall['flatcar'] = { channel: 'stable', version: 'current' }, disk = '/dev/sda'): ResolvedInstall {
  return { disk, flatcar, origin: ORIGIN };
}


interface IgnitionFile {
  path: string;
  mode: number;
  contents: { source: string; compression?: string };
}
interface IgnitionConfig {
  ignition: { version: string };
  storage: { files: IgnitionFile[] };
  systemd: { units: { name: string; enabled: boolean; contents: string }[] };
}

function built(spec = install(), version: '3.3.0' | '3.4.0' = '3.3.0', config: Uint8Array = CONFIG): { text: string; config: IgnitionConfig } {
  const result = flatcarInstaller({ name: 'cp-1', ignitionVersion: version }, spec, config, PUBLISH);
  expect(result.diagnostics).toEqual([]);
  expect(result.ignition).toBeDefined();
  return { text: result.ignition!, config: JSON.parse(result.ignition!) as IgnitionConfig };
}

/** The text of an Ignition file entry: a data URL, percent- or base64-encoded, perhaps gzip-compressed. */
function fileText(file: IgnitionFile): string {
  const match = /^data:[^,]*?(;base64)?,(.*)$/s.exec(file.contents.source);
  if (!match) throw new Error(`not a data URL: ${file.contents.source.slice(0, 40)}`);
  const raw = match[1] ? Buffer.from(match[2]!, 'base64') : Buffer.from(decodeURIComponent(match[2]!), 'utf8');
  return (file.contents.compression === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
}

function script(spec = install(), config: Uint8Array = CONFIG): string {
  const files = built(spec, '3.3.0', config).config.storage.files;
  expect(files.map((f) => [f.path, f.mode])).toEqual([['/opt/kindling-install', 0o700]]);
  return fileText(files[0]!);
}

const sha512 = (bytes: Uint8Array) => createHash('sha512').update(bytes).digest('hex');

describe('the Flatcar installer config (install.ign)', () => {
  it('enables one oneshot unit, wanted by multi-user.target after network-online.target, that runs the installer script', () => {
    const { units } = built().config.systemd;
    expect(units).toEqual([
      {
        name: 'kindling-install.service',
        enabled: true,
        contents: [
          '[Unit]',
          "Description=Install Flatcar to disk with this node's config from kindling, then reboot",
          'Wants=network-online.target',
          'After=network-online.target',
          '',
          '[Service]',
          'Type=oneshot',
          'ExecStart=/opt/kindling-install',
          'StandardOutput=journal+console',
          'StandardError=journal+console',
          '',
          '[Install]',
          'WantedBy=multi-user.target',
          '',
        ].join('\n'),
      },
    ]);
  });

  it('fetches the node\'s config.ign from its folder under publishURL with retries, and checks it against the sha512 of the exact config bytes', () => {
    const text = script();
    expect(text).toContain(`url=${PUBLISH}nodes/cp-1/config.ign\n`);
    expect(text).toContain(`expected=${sha512(CONFIG)}\n`);
    expect(text).toContain('curl -fsSL --retry 10 --retry-delay 3 --retry-connrefused --connect-timeout 10 -o "$config" "$url"\n');
    expect(text).toContain('actual=$(sha512sum "$config" | cut -d \' \' -f 1)\nif [ "$actual" != "$expected" ]; then\n');
  });

  it('changes the expected sha512 when config.ign changes by one byte', () => {
    const other = Buffer.from(CONFIG.toString('utf8').replace('3.3.0', '3.3.1'));
    expect(script(install(), other)).toContain(`expected=${sha512(other)}\n`);
    expect(script(install(), other)).not.toContain(sha512(CONFIG));
  });

  it('runs flatcar-install with the disk, channel and version and the fetched config, without -b when no mirror is set, then reboots', () => {
    const lines = script().split('\n');
    const at = lines.findIndex((l) => l.startsWith('flatcar-install '));
    expect(lines.slice(at, at + 2)).toEqual(['flatcar-install -d /dev/sda -C stable -V current -i "$config"', 'systemctl reboot']);
  });

  it('passes a mirror as -b and a pinned channel and version as given', () => {
    const text = script(install({ channel: 'lts', version: '4081.2.0', baseURL: 'http://mirror.lab/flatcar/amd64-usr' }, '/dev/disk/by-id/wwn-0x5000c500a1b2c3d4'));
    expect(text.split('\n').filter((l) => l.startsWith('flatcar-install '))).toEqual([
      'flatcar-install -d /dev/disk/by-id/wwn-0x5000c500a1b2c3d4 -C lts -V 4081.2.0 -b http://mirror.lab/flatcar/amd64-usr -i "$config"',
    ]);
  });

  it('shell-quotes a value with characters the shell would read', () => {
    const text = script(install({ channel: 'stable', version: 'current', baseURL: 'http://mirror.lab/a~b/x' }));
    expect(text).toContain("-b 'http://mirror.lab/a~b/x' -i");
  });

  it('stops before flatcar-install when the hash differs (set -e, and an explicit exit 1 with both hashes on stderr)', () => {
    const text = script();
    expect(text.startsWith('#!/bin/bash\n')).toBe(true);
    expect(text).toContain('set -euo pipefail\numask 077\n');
    const check = text.indexOf('if [ "$actual" != "$expected" ]');
    const exit = text.indexOf('  exit 1\nfi\n', check);
    expect(check).toBeGreaterThan(0);
    expect(exit).toBeGreaterThan(check);
    expect(text.indexOf('flatcar-install -d')).toBeGreaterThan(exit);
  });

  it('uses Butane flatcar 1.0.0 (Ignition 3.3.0) by default and flatcar 1.1.0 (3.4.0) for a node on 3.4.0', () => {
    expect(built().config.ignition.version).toBe('3.3.0');
    expect(built(install(), '3.4.0').config.ignition.version).toBe('3.4.0');
  });

  // Debian's ignition-validate (Ignition 2.14.0) predates spec 3.4.0; the translator's own validator checks that one.
  it('is accepted by ignition-validate without a message (spec 3.3.0)', () => {
    const result = runIgnitionValidate(built(install({ channel: 'beta', version: '4081.2.0', baseURL: 'http://mirror.lab/flatcar/amd64-usr' })).text);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('has a unit systemd-analyze verify accepts without a message', () => {
    const unit = built().config.systemd.units[0]!;
    const result = systemdVerify([{ name: unit.name, contents: unit.contents }]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('has a script bash parses (bash -n), with a mirror that needs quoting too', () => {
    for (const text of [script(), script(install({ channel: 'stable', version: 'current', baseURL: "http://mirror.lab/it's" }))]) {
      const result = spawnSync('bash', ['-n'], { input: text, encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    }
  });
});
