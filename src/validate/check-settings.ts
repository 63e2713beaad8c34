/**
 * Semantic checks on the node settings that can appear in cluster defaults, roles and nodes. Each
 * finding is located at the offending value in its own document.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { DocPath, ParsedDocument } from '../parse/parse-document.ts';
import type { NodeSettings } from './profile-types.ts';
import { interfaceNameProblem } from './net.ts';
import { absolutePathProblem, dropinNameProblem, unitNameProblem } from './names.ts';
import { urlProblem } from './urls.ts';
import { parseMode } from './modes.ts';
import { flagProblem } from './flannel-flags.ts';
import { ipFamily } from './net.ts';
import { checkNetwork } from './check-delivery.ts';
import { sshKeyProblem } from './ssh-keys.ts';

export type Report = (diagnostic: Omit<Diagnostic, 'location' | 'path'>, path: DocPath, target?: 'key' | 'value') => void;

export function reporterFor(doc: ParsedDocument, out: Diagnostic[]): Report {
  return (diagnostic, path, target = 'value') => out.push({ ...diagnostic, location: doc.locate(path, target), path });
}

export function checkNodeSettings(settings: NodeSettings, base: DocPath, report: Report): void {
  checkNetwork(settings.network, base, report);
  const mirror = settings.install?.flatcar?.baseURL;
  if (mirror !== undefined) {
    const problem = urlProblem(mirror, { allowHttp: true });
    if (problem) report({ severity: 'error', ...problem }, [...base, 'install', 'flatcar', 'baseURL']);
  }
  if (settings.interface !== undefined) {
    const problem = interfaceNameProblem(settings.interface);
    if (problem) {
      report({ code: 'node/invalid-interface', severity: 'error', message: `interface name '${settings.interface}' ${problem}`, hint: 'use the NIC name as `ip link` shows it, e.g. eth0 or ens3' }, [...base, 'interface']);
    }
  }
  const healthzAddress = settings.flannel?.healthz?.address;
  if (healthzAddress !== undefined && !ipFamily(healthzAddress)) {
    report({ code: 'node/invalid-ip', severity: 'error', message: `healthz address '${healthzAddress}' is not an IP address`, hint: 'use 127.0.0.1 (local checks only) or the node IP' }, [...base, 'flannel', 'healthz', 'address']);
  }
  settings.flannel?.extraArgs?.forEach((arg, i) => {
    const problem = flagProblem(arg);
    if (problem) report({ code: 'flannel/invalid-flag', severity: 'error', ...problem }, [...base, 'flannel', 'extraArgs', i]);
  });
  settings.users?.forEach((user, i) => {
    user.sshAuthorizedKeys?.forEach((key, k) => {
      if (/[\r\n]/.test(key)) {
        report({ code: 'schema/pattern', severity: 'error', message: 'an SSH key must be a single line', hint: 'list each key as its own item' }, [...base, 'users', i, 'sshAuthorizedKeys', k]);
        return;
      }
      const problem = sshKeyProblem(key);
      if (problem) report({ code: 'user/invalid-ssh-key', severity: 'error', ...problem }, [...base, 'users', i, 'sshAuthorizedKeys', k]);
    });
    if (user.shell !== undefined) {
      const problem = absolutePathProblem(user.shell);
      if (problem) report({ code: 'file/invalid-path', severity: 'error', message: `shell '${user.shell}' ${problem}` }, [...base, 'users', i, 'shell']);
    }
  });
  settings.files?.forEach((file, i) => {
    const at = [...base, 'files', i];
    const pathProblem = absolutePathProblem(file.path);
    if (pathProblem) {
      report({ code: 'file/invalid-path', severity: 'error', message: `file path '${file.path}' ${pathProblem}`, hint: 'write an absolute path without . or .. parts, e.g. /etc/example.conf' }, [...at, 'path']);
    }
    if (file.mode !== undefined) {
      const mode = parseMode(file.mode);
      if (mode.problem) report({ severity: mode.severity, ...mode.problem }, [...at, 'mode']);
    }
    const contents = file.contents;
    const sources = (['inline', 'local', 'url'] as const).filter((k) => contents[k] !== undefined);
    if (sources.length !== 1) {
      report({ code: 'schema/invalid', severity: 'error', message: 'file contents need exactly one of inline, local or url', hint: 'keep one source' }, [...at, 'contents']);
    }
    if (contents.sha512 !== undefined && contents.url === undefined) {
      report({ code: 'schema/invalid', severity: 'error', message: 'sha512 only applies to contents fetched from a url' }, [...at, 'contents', 'sha512'], 'key');
    }
    if (contents.url !== undefined) {
      const problem = urlProblem(contents.url);
      if (problem) report({ severity: 'error', ...problem }, [...at, 'contents', 'url']);
    }
  });
  settings.units?.forEach((unit, i) => {
    const at = [...base, 'units', i];
    const nameProblem = unitNameProblem(unit.name);
    if (nameProblem) report({ code: 'unit/invalid-name', severity: 'error', message: `unit name '${unit.name}' ${nameProblem}`, hint: 'e.g. example.service' }, [...at, 'name']);
    if (unit.enabled !== undefined && unit.contents === undefined && !unit.dropins?.length) {
      // Enabling a unit kindling does not write is legitimate (a unit the OS ships).
    }
    unit.dropins?.forEach((dropin, d) => {
      const problem = dropinNameProblem(dropin.name);
      if (problem) report({ code: 'unit/invalid-name', severity: 'error', message: `drop-in name '${dropin.name}' ${problem}`, hint: 'e.g. 10-override.conf' }, [...at, 'dropins', d, 'name']);
    });
  });
}
