/**
 * Ignition's rules for `systemd.units`: unit and drop-in names, unit file syntax (as
 * go-systemd parses it), and the warnings for enabled units that have nothing to enable.
 */
import { IGNITION_ERRORS as E } from './errors.ts';
import { goPathExt } from './go-text.ts';
import { checkDuplicates, checkOnce, isObj, keyField, list, nilOrEmpty, str, bool, type Obj, type Path, type Report } from './report.ts';
import { readUnitContents, type UnitParseResult } from './systemd-unit.ts';

const UNIT_EXTENSIONS = new Set([
  '.service', '.socket', '.device', '.mount', '.automount', '.swap', '.target', '.path', '.timer',
  '.snapshot', '.slice', '.scope',
]);

/**
 * ParseUnitContents: undefined contents parse as "no options". Not remembered: checkUnit reads a
 * shared unit once anyway (checkOnce), so what reaches it again is per-node text.
 */
function parseContents(contents: string | undefined): UnitParseResult {
  return contents === undefined ? { ok: true, options: [] } : readUnitContents(contents);
}

function hasInstallSection(parsed: UnitParseResult): boolean {
  return parsed.ok && parsed.options.some((o) => o.section === 'Install');
}

function checkUnit(report: Report, path: Path, unit: Obj): void {
  const name = str(unit, 'name') ?? '';
  if (!UNIT_EXTENSIONS.has(goPathExt(name))) report.error([...path, 'name'], E.unitExtension);
  const contents = str(unit, 'contents');
  const parsed = parseContents(contents);
  if (!parsed.ok) report.error([...path, 'contents'], E.unitContents.with(parsed.error));
  // Ignition "enables" a unit by writing a preset, which only acts through [Install].
  if (bool(unit, 'enabled') === true && !nilOrEmpty(contents) && parsed.ok && !hasInstallSection(parsed)) {
    report.warn([...path, 'contents'], E.unitEnabledWithoutInstall.with(name));
  }
  const dropins = list(unit, 'dropins');
  checkDuplicates(report, path, [{ field: 'dropins', items: dropins, key: keyField('name') }]);
  dropins.forEach((d, i) => {
    if (!isObj(d)) return;
    const dropinParsed = parseContents(str(d, 'contents'));
    if (!dropinParsed.ok) report.error([...path, 'dropins', i, 'contents'], E.unitContents.with(dropinParsed.error));
    if (goPathExt(str(d, 'name') ?? '') !== '.conf') {
      report.error([...path, 'dropins', i, 'name'], E.dropinExtension);
    }
  });
}

/**
 * Enabling an instance (x@y.service) enables through its template's [Install]; warn when the
 * configured template x@.service has none (Ignition 2.15+, services only, like Ignition).
 */
function checkTemplateInstances(report: Report, path: Path, units: unknown[]): void {
  const byName = new Map<string, Obj>();
  for (const u of units) if (isObj(u)) byName.set(str(u, 'name') ?? '', u);
  units.forEach((u, i) => {
    if (!isObj(u) || bool(u, 'enabled') !== true) return;
    const name = str(u, 'name') ?? '';
    const m = /^(.+?)@(.+?)\.service$/s.exec(name);
    if (!m) return;
    const templateName = `${m[1]}@.service`;
    const templateContents = str(byName.get(templateName), 'contents');
    if (nilOrEmpty(templateContents)) return;
    const parsed = report.memory.unitContents(templateContents!);
    if (parsed.ok && !hasInstallSection(parsed)) {
      report.warn([...path, 'units', i, 'contents'], E.templateWithoutInstall.with(templateName, name));
    }
  });
}

export function checkSystemd(report: Report, path: Path, systemd: Obj | undefined): void {
  if (!systemd) return;
  const units = list(systemd, 'units');
  checkDuplicates(report, path, [{ field: 'units', items: units, key: keyField('name') }]);
  checkTemplateInstances(report, path, units);
  units.forEach((u, i) => {
    if (isObj(u)) checkOnce(report.memory.passedUnits, u, report, () => checkUnit(report, [...path, 'units', i], u));
  });
}

/** Paths Ignition itself writes for units and drop-ins that have contents. */
export function systemdWrittenPaths(systemd: Obj | undefined): Set<string> {
  const paths = new Set<string>();
  for (const u of list(systemd, 'units')) {
    if (!isObj(u)) continue;
    const name = str(u, 'name') ?? '';
    if (!nilOrEmpty(str(u, 'contents'))) paths.add(`/etc/systemd/system/${name}`);
    for (const d of list(u, 'dropins')) {
      if (isObj(d) && !nilOrEmpty(str(d, 'contents'))) paths.add(`/etc/systemd/system/${name}.d/${str(d, 'name') ?? ''}`);
    }
  }
  return paths;
}
