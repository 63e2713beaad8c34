/**
 * The cluster-side objects flanneld needs (Namespace, ClusterRole, ClusterRoleBinding,
 * ServiceAccount and its token Secret) for a profile directory, named from the cluster profile's
 * optional `kubernetes.rbac` block. Nothing here is secret: the Secret object is empty until the
 * cluster's token controller fills it in.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { loadProfile } from '../build/load-project.ts';
import { checkFlannelRbacNames, flannelRbacList, renderFlannelRbac } from '../render/cluster/rbac.ts';
import type { FlannelRbacInput } from '../render/cluster/rbac.ts';

export interface FlannelRbacManifest {
  /** YAML for `kubectl apply -f -`; absent when there are errors. */
  readonly yaml?: string;
  /** The same objects as plain data; absent when there are errors. */
  readonly objects?: readonly object[];
  /** The profile's diagnostics (warnings included) and the names' own check, located. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Loads the profile in `dir` and renders its flannel RBAC objects. */
export function flannelRbacManifest(dir: string): FlannelRbacManifest {
  const loaded = loadProfile(dir);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const profile = loaded.profile;
  if (profile === undefined || hasErrors(diagnostics)) return { diagnostics };
  const input: FlannelRbacInput = { ...(profile.cluster.value.kubernetes.rbac ?? {}) };
  // The schema already checks the names' form; this is the renderer's own check, located.
  for (const problem of checkFlannelRbacNames(input)) {
    const path = ['kubernetes', 'rbac', ...(problem.path ?? [])];
    diagnostics.push({ ...problem, path, location: profile.cluster.doc.locate(path) });
  }
  if (hasErrors(diagnostics)) return { diagnostics };
  return { yaml: renderFlannelRbac(input), objects: flannelRbacList(input), diagnostics };
}
