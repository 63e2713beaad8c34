/**
 * The semantic half of validateIgnition: walks a config in Ignition's struct order and applies
 * the rules of Ignition's Validate methods (config/v3_N/types), with Ignition's wording. Within
 * each struct: duplicate checks, then the struct's own rules, then its fields in Go order,
 * which is the order current Ignition (and butane) report in.
 */
import { IGNITION_ERRORS as E, type IgnitionMessage } from './errors.ts';
import { goParseUrl } from './go-url.ts';
import {
  Report, checkDuplicates, isObj, keyField, keySelf, list, obj, str, type Obj, type Path,
} from './report.ts';
import { checkResource, requiredSourceError } from './resource-rules.ts';
import { ValidationMemory } from './validation-memory.ts';
import { checkStorage } from './storage-rules.ts';
import { checkSystemd, systemdWrittenPaths } from './systemd-rules.ts';
import type { IgnitionIssue, IgnitionSpecVersion } from './validate.ts';

const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

function proxyError(url: string | undefined): IgnitionMessage | null {
  if (url === undefined) return null;
  const u = goParseUrl(url);
  if (!u) return E.urlUnparsable;
  return u.scheme === 'http' || u.scheme === 'https' ? null : E.proxyNotHttp;
}

function checkIgnitionSection(report: Report, path: Path, ign: Obj | undefined, version: IgnitionSpecVersion): void {
  const v = str(ign, 'version');
  if (v === undefined || !SEMVER.test(v)) report.error([...path, 'version'], E.configVersionUnparsable);
  else if (v !== version) report.error([...path, 'version'], E.configVersionUnsupported);
  if (!ign) return;

  const config = obj(ign, 'config');
  if (config) {
    const merge = list(config, 'merge');
    checkDuplicates(report, [...path, 'config'], [{ field: 'merge', items: merge, key: keyField('source') }]);
    merge.forEach((m, i) => {
      if (isObj(m)) report.errorIf([...path, 'config', 'merge', i], requiredSourceError(m, version, report.memory));
    });
    merge.forEach((m, i) => {
      if (isObj(m)) checkResource(report, [...path, 'config', 'merge', i], m, version);
    });
    checkResource(report, [...path, 'config', 'replace'], obj(config, 'replace'), version);
  }

  const proxy = obj(ign, 'proxy');
  if (proxy) {
    const proxyPath = [...path, 'proxy'];
    checkDuplicates(report, proxyPath, [{ field: 'noProxy', items: list(proxy, 'noProxy'), key: keySelf }]);
    report.errorIf([...proxyPath, 'httpProxy'], proxyError(str(proxy, 'httpProxy')));
    const https = str(proxy, 'httpsProxy');
    report.errorIf([...proxyPath, 'httpsProxy'], proxyError(https));
    if (https !== undefined && goParseUrl(https)?.scheme === 'http') {
      report.warn([...proxyPath, 'httpsProxy'], E.insecureHttpsProxy);
    }
  }

  const tls = obj(obj(ign, 'security'), 'tls');
  if (tls) {
    const tlsPath = [...path, 'security', 'tls'];
    const cas = list(tls, 'certificateAuthorities');
    checkDuplicates(report, tlsPath, [{ field: 'certificateAuthorities', items: cas, key: keyField('source') }]);
    cas.forEach((ca, i) => {
      if (isObj(ca)) report.errorIf([...tlsPath, 'certificateAuthorities', i], requiredSourceError(ca, version, report.memory));
    });
    cas.forEach((ca, i) => {
      if (isObj(ca)) checkResource(report, [...tlsPath, 'certificateAuthorities', i], ca, version);
    });
  }
}

function checkPasswd(report: Report, path: Path, passwd: Obj | undefined): void {
  if (!passwd) return;
  const users = list(passwd, 'users');
  checkDuplicates(report, path, [{ field: 'groups', items: list(passwd, 'groups'), key: keyField('name') }]);
  checkDuplicates(report, path, [{ field: 'users', items: users, key: keyField('name') }]);
  users.forEach((u, i) => {
    if (!isObj(u)) return;
    checkDuplicates(report, [...path, 'users', i], [{ field: 'groups', items: list(u, 'groups'), key: keySelf }]);
    checkDuplicates(report, [...path, 'users', i], [
      { field: 'sshAuthorizedKeys', items: list(u, 'sshAuthorizedKeys'), key: keySelf },
    ]);
  });
}

/** Files, directories or links at a path Ignition also writes for a unit or drop-in. */
function checkSystemdConflicts(report: Report, cfg: Obj): void {
  const written = systemdWrittenPaths(obj(cfg, 'systemd'));
  const storage = obj(cfg, 'storage');
  for (const field of ['files', 'directories', 'links']) {
    list(storage, field).forEach((n, i) => {
      if (isObj(n) && written.has(str(n, 'path') ?? '')) {
        report.error(['storage', field, i, 'path'], E.pathConflictsWithUnit);
      }
    });
  }
}

export function checkConfigSemantics(cfg: unknown, version: IgnitionSpecVersion, memory = new ValidationMemory()): IgnitionIssue[] {
  const report = new Report(memory);
  if (!isObj(cfg)) return report.issues;
  checkSystemdConflicts(report, cfg);
  checkIgnitionSection(report, ['ignition'], obj(cfg, 'ignition'), version);
  const kargs = obj(cfg, 'kernelArguments');
  if (kargs) {
    // shouldExist and shouldNotExist share one namespace: an argument cannot be in both.
    checkDuplicates(report, ['kernelArguments'], [
      { field: 'shouldExist', items: list(kargs, 'shouldExist'), key: keySelf },
      { field: 'shouldNotExist', items: list(kargs, 'shouldNotExist'), key: keySelf },
    ]);
  }
  checkPasswd(report, ['passwd'], obj(cfg, 'passwd'));
  checkStorage(report, ['storage'], obj(cfg, 'storage'), version);
  checkSystemd(report, ['systemd'], obj(cfg, 'systemd'));
  return report.issues;
}
