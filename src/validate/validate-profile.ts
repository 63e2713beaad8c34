/**
 * The validate stage: every parsed document is checked against the schema for its kind, then the
 * project as a whole is checked for meaning (names, addresses, networks, backends, references).
 * All problems are collected; nothing stops at the first one.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { ParsedDocument } from '../parse/parse-document.ts';
import { DOCUMENT_KINDS, validateDocumentSchema, type DocumentKind } from './profile-schema.ts';
import type { ClusterDoc, NodeDoc, RoleDoc } from './profile-types.ts';
import { checkCluster } from './check-cluster.ts';
import { checkNodes } from './check-nodes.ts';
import { checkAddressing } from './check-addressing.ts';
import { checkNodeSettings, reporterFor } from './check-settings.ts';
import { roleNameProblem } from './names.ts';
import { where, type Located } from './located.ts';

export interface ValidatedProfile {
  readonly cluster: Located<ClusterDoc>;
  readonly roles: ReadonlyMap<string, Located<RoleDoc>>;
  readonly nodes: readonly Located<NodeDoc>[];
}

interface ValidateOptions {
  /**
   * Some profile file could not be parsed, so documents may be missing: a missing Cluster or role is
   * then most likely in that file, and reporting it again would bury the real error under its echoes.
   */
  readonly incomplete?: boolean;
}

export function validateProfile(documents: readonly ParsedDocument[], options: ValidateOptions = {}): { profile?: ValidatedProfile; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const clusters: Located<ClusterDoc>[] = [];
  const roles = new Map<string, Located<RoleDoc>>();
  const nodes: Located<NodeDoc>[] = [];
  // Roles that exist but failed the schema: nodes naming them get no "not defined" error on top of the role's own.
  const rejectedRoles = new Set<string>();

  for (const doc of documents) {
    const report = reporterFor(doc, diagnostics);
    const value = doc.value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      report({ code: 'yaml/not-a-mapping', severity: 'error', message: 'a profile document must be a mapping with apiVersion and kind', hint: 'start the document with `apiVersion: kindling/v1` and `kind: Cluster|Role|Node`' }, []);
      continue;
    }
    const kind = (value as { kind?: unknown }).kind;
    if (!DOCUMENT_KINDS.includes(kind as DocumentKind)) {
      report(
        kind === undefined
          ? { code: 'schema/missing-key', severity: 'error', message: "the document needs the key 'kind'", hint: 'one of: Cluster, Role, Node' }
          : { code: 'profile/unknown-kind', severity: 'error', message: `unknown kind '${String(kind)}'`, hint: 'one of: Cluster, Role, Node' },
        kind === undefined ? [] : ['kind'],
      );
      continue;
    }
    const checked = validateDocumentSchema(doc, kind as DocumentKind);
    if (checked.diagnostics.length) {
      diagnostics.push(...checked.diagnostics);
      const name = (value as { name?: unknown }).name;
      if (kind === 'Role' && typeof name === 'string') rejectedRoles.add(name);
      continue;
    }
    const located = { value: checked.value, doc };
    if (kind === 'Cluster') {
      clusters.push(located as Located<ClusterDoc>);
      const defaults = (checked.value as ClusterDoc).defaults;
      if (defaults) checkNodeSettings(defaults, ['defaults'], report);
    } else if (kind === 'Role') {
      const role = located as Located<RoleDoc>;
      const nameProblem = roleNameProblem(role.value.name);
      if (nameProblem) {
        report({ code: 'role/invalid-name', severity: 'error', message: `role name ${JSON.stringify(role.value.name)} ${nameProblem}`, hint: 'e.g. worker or control-plane' }, ['name']);
      }
      const previous = roles.get(role.value.name);
      if (previous) {
        report({ code: 'profile/duplicate-role', severity: 'error', message: `role '${role.value.name}' is defined twice`, hint: `the other definition is at ${where(previous.doc, ['name'])}` }, ['name']);
      } else {
        roles.set(role.value.name, role);
      }
      checkNodeSettings(role.value, [], report);
    } else {
      const node = located as Located<NodeDoc>;
      nodes.push(node);
      checkNodeSettings(node.value, [], report);
    }
  }

  const first = documents[0];
  if (clusters.length === 0) {
    if (!options.incomplete && !diagnostics.some((d) => d.severity === 'error')) {
      diagnostics.push({
        code: 'profile/no-cluster',
        severity: 'error',
        message: 'no Cluster document found',
        hint: 'add a file with `apiVersion: kindling/v1` and `kind: Cluster`',
        ...(first ? { location: first.locate([]) } : {}),
      });
    }
    return { diagnostics };
  }
  for (const extra of clusters.slice(1)) {
    reporterFor(extra.doc, diagnostics)(
      { code: 'profile/duplicate-cluster', severity: 'error', message: 'a project has exactly one Cluster document', hint: `the first one is at ${where(clusters[0]!.doc, ['kind'])}` },
      ['kind'],
    );
  }
  const cluster = clusters[0]!;
  checkCluster(cluster, diagnostics);
  checkNodes(cluster, roles, nodes, diagnostics, { unknownRolesReported: options.incomplete === true, rejectedRoles });
  checkAddressing(cluster, roles, nodes, diagnostics);
  return { profile: { cluster, roles, nodes }, diagnostics };
}
