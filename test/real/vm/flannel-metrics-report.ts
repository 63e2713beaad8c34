/**
 * What a booted node's flannel metrics endpoint answered the guest report (guest/kindling-vm-report):
 * `KVM-CHECK metrics endpoint get=<status> post=<status>` and the body as `KVM-METRICS <line>` lines,
 * checked on the host with the real `promtool check metrics`. The endpoint ran under the real
 * systemd socket activation and sandbox (DynamicUser, ProtectSystem=strict, IPAddressDeny=any).
 */
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import type { ConsoleReport } from './console-report.ts';

/** The metrics text the guest printed, without the console's line prefixes. */
function metricsText(console: string): string {
  const lines: string[] = [];
  for (const raw of console.split(/\r?\n/)) {
    const at = raw.indexOf('KVM-METRICS ');
    if (at >= 0) lines.push(raw.slice(at + 'KVM-METRICS '.length));
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** Asserts the node served its flannel metrics through the socket, in a form promtool accepts. */
export function expectFlannelMetricsServed(report: ConsoleReport, console: string, nodeName: string, label: string): void {
  expect(report.get('unit', 'kindling-flannel-metrics.socket'), label).toMatchObject({ enabled: 'enabled', active: 'active' });
  expect(report.get('metrics', 'endpoint'), label).toEqual({ get: '200', post: '405' });
  const text = metricsText(console);
  const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (promtool.error) throw new Error(`promtool could not run (${promtool.error.message}); install the Debian "prometheus" package`);
  expect(`${promtool.stdout}${promtool.stderr}`.trim(), `${label}:\n${text}`).toBe('');
  expect(promtool.status, label).toBe(0);
  // The stand-in flanneld answers /readyz and /healthz on the health address kindling gave it,
  // wrote subnet.env and added a flannel.1 link: what the script reads of a real one.
  expect(text, label).toMatch(/^flannel_ready 1$/m);
  expect(text, label).toMatch(/^flannel_healthz_up 1$/m);
  expect(text, label).toMatch(/^flannel_subnet_env_present 1$/m);
  expect(text, label).toMatch(/^flannel_subnet_info\{backend="vxlan",network="10\.244\.0\.0\/16",subnet="10\.244\.1\.1\/24",.*mtu="1450",ipmasq="true"\} 1$/m);
  expect(text, label).toMatch(/^flannel_network_device_up\{device="flannel\.1"\} 1$/m);
  // flannel_service_active is not asserted: the VM base has no D-Bus, and a DynamicUser's systemctl
  // reaches systemd only through the bus (every target OS has one).
  expect(text, label).toMatch(/^flannel_service_active [01]$/m);
  expect(text, label).toMatch(new RegExp(`^kindling_build_info\\{cluster="[^"]+",node="${nodeName}",config_digest="[0-9a-f]{64}"\\} 1$`, 'm'));
}
