/**
 * parse → validate → resolve: a profile directory becomes a Project, or a list of diagnostics
 * saying everything that is wrong with it. This is the only part of the pipeline that reads files.
 */
import { existsSync } from 'node:fs';
import { boundedReadHint, readBoundedFile } from '../io/bounded-file.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { readProfileDir } from '../parse/read-profile-dir.ts';
import { displayPath } from '../io/display-path.ts';
import { parseProfileFile, type ParsedDocument } from '../parse/parse-document.ts';
import { validateProfile, type ValidatedProfile } from '../validate/validate-profile.ts';
import { acknowledgementsOf, applyAcknowledgements } from '../diagnostics/acknowledge.ts';
import { resolveProject } from '../resolve/resolve-project.ts';
import type { Project } from '../resolve/project-model.ts';
import type { LockedHashes } from '../resolve/lock-hashes.ts';
import { LOCKFILE_NAME, parseLockfile } from '../lock/lockfile.ts';
import { dirname, join, resolve as resolvePath } from 'node:path';

export interface LoadOptions {
  /** Build only these nodes; an unknown name is an error. */
  readonly nodes?: readonly string[];
  /** Where `env:` secrets come from (default: process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Called with the parsed documents before they are validated (the build opens its output then). */
  readonly afterParse?: (documents: readonly ParsedDocument[]) => void;
}

export interface LoadResult {
  readonly project?: Project;
  readonly profile?: ValidatedProfile;
  readonly diagnostics: Diagnostic[];
}

export function parseProject(dir: string): { documents: ParsedDocument[]; diagnostics: Diagnostic[] } {
  const read = readProfileDir(dir);
  const diagnostics = [...read.diagnostics];
  const documents: ParsedDocument[] = [];
  for (const file of read.files) {
    const parsed = parseProfileFile(file);
    documents.push(...parsed.documents);
    diagnostics.push(...parsed.diagnostics);
  }
  return { documents, diagnostics };
}

/** Validates without resolving (no secrets read): what `kindling validate` checks first. */
export function loadProfile(dir: string, afterParse?: LoadOptions['afterParse']): { profile?: ValidatedProfile; diagnostics: Diagnostic[] } {
  const parsed = parseProject(dir);
  if (parsed.documents.length === 0) return { diagnostics: parsed.diagnostics };
  afterParse?.(parsed.documents);
  const validated = validateProfile(parsed.documents, { incomplete: parsed.diagnostics.some((d) => d.severity === 'error') });
  const diagnostics = [...parsed.diagnostics, ...validated.diagnostics];
  if (validated.profile) applyAcknowledgements(diagnostics, acknowledgementsOf(validated.profile.cluster.value.acknowledge));
  return { ...(validated.profile ? { profile: validated.profile } : {}), diagnostics };
}

export function loadProject(dir: string, options: LoadOptions = {}): LoadResult {
  const { profile, diagnostics } = loadProfile(dir, options.afterParse);
  if (!profile || hasErrors(diagnostics)) return { ...(profile ? { profile } : {}), diagnostics };

  if (options.nodes?.length) {
    const known = new Set(profile.nodes.map((n) => n.value.name));
    for (const name of options.nodes) {
      if (!known.has(name)) {
        diagnostics.push({ code: 'node/unknown-node', severity: 'error', message: `no node named '${name}' in ${displayPath(dir)}`, hint: `known nodes: ${[...known].sort().join(', ') || '(none)'}` });
      }
    }
    if (hasErrors(diagnostics)) return { profile, diagnostics };
  }

  const lock = readLock(profile, diagnostics);
  const resolved = resolveProject(profile, {
    dir,
    lock,
    secrets: { env: options.env ?? process.env },
    ...(options.nodes?.length ? { only: options.nodes } : {}),
  });
  diagnostics.push(...resolved.diagnostics);
  applyAcknowledgements(diagnostics, acknowledgementsOf(profile.cluster.value.acknowledge));
  return { ...(resolved.project ? { project: resolved.project } : {}), profile, diagnostics };
}

/** The lock file sits beside the cluster file unless `downloads.lockFile` names another. */
function readLock(profile: ValidatedProfile, diagnostics: Diagnostic[]): LockedHashes {
  const clusterDir = dirname(profile.cluster.doc.file.path);
  const configured = profile.cluster.value.downloads?.lockFile;
  const path = configured ? resolvePath(clusterDir, configured) : join(clusterDir, LOCKFILE_NAME);
  if (!existsSync(path)) {
    if (configured) {
      diagnostics.push({
        code: 'io/unreadable',
        severity: 'error',
        message: `lock file '${configured}' does not exist`,
        hint: 'run `kindling lock` to create it',
        location: profile.cluster.doc.locate(['downloads', 'lockFile']),
      });
    }
    return new Map();
  }
  const read = readBoundedFile(path);
  if (!read.ok) {
    diagnostics.push({
      code: read.code,
      severity: 'error',
      message: `cannot read lock file '${displayPath(path)}': ${read.reason}`,
      hint: boundedReadHint(read.code, 'check the lock file is readable, or run `kindling lock` to write it again'),
      // Located at the setting that names it, or at the lock file itself when it is the default one.
      location: configured ? profile.cluster.doc.locate(['downloads', 'lockFile']) : { file: displayPath(path), line: 1, column: 1 },
    });
    return new Map();
  }
  const parsed = parseLockfile(read.data.toString('utf8'), displayPath(path));
  diagnostics.push(...parsed.diagnostics);
  return new Map((parsed.lockfile?.artifacts ?? []).map((entry) => [entry.url, { sha512: entry.sha512, sha256: entry.sha256 }]));
}
