/**
 * A node's plan: what must exist on the machine after first boot, independent of how a target
 * (cloud-init, Ignition) expresses it. Modules fill it; renderers translate it.
 */
import type { SourceLocation } from '../diagnostics/diagnostic.ts';
import type { FileContents, ResolvedCluster, ResolvedNode } from '../resolve/project-model.ts';

/** Which part of kindling (or the profile) asked for an entry: shown by `kindling plan`, used in errors. */
type PlanSource = 'profile' | 'flannel' | 'cni' | 'network' | 'static-network' | 'kubeconfig';

export interface PlannedFile {
  readonly path: string;
  readonly mode: number;
  readonly owner: string;
  readonly group: string;
  readonly contents: FileContents;
  /** Holds a credential: never shown, written 0600. */
  readonly secret?: boolean;
  /** Replace a file the OS image already has at this path (Ignition fails on an existing file otherwise). */
  readonly overwrite?: boolean;
  readonly source: PlanSource;
  readonly origin?: SourceLocation;
  /** Differs on every node (names, addresses): not worth sharing across the fleet. */
  readonly perNode?: boolean;
}

export interface PlannedDirectory {
  readonly path: string;
  readonly mode: number;
  readonly source: PlanSource;
}

interface PlannedLink {
  readonly path: string;
  readonly target: string;
  readonly source: PlanSource;
}

export interface PlannedUnit {
  readonly name: string;
  readonly contents?: string;
  readonly enabled?: boolean;
  readonly mask?: boolean;
  readonly dropins: readonly { readonly name: string; readonly contents: string }[];
  /** Profiles may add drop-ins to this kindling unit (the supported way to adjust it); no other kindling unit takes any. */
  readonly profileDropins?: boolean;
  /** Files the unit's commands need: a target that fetches files late (cloud-init) orders the unit after that fetch. */
  readonly needs: readonly string[];
  readonly source: PlanSource;
  readonly origin?: SourceLocation;
  /** Differs on every node (names, addresses): not worth sharing across the fleet. */
  readonly perNode?: boolean;
}

export interface PlannedUser {
  readonly name: string;
  readonly sshAuthorizedKeys: readonly string[];
  readonly groups: readonly string[];
  readonly shell?: string;
}

export interface NodePlan {
  readonly node: ResolvedNode;
  readonly cluster: ResolvedCluster;
  /** Where binaries go on this OS: /opt/bin on Flatcar (all of /usr is read-only), /usr/local/bin elsewhere. */
  readonly binDir: string;
  readonly files: readonly PlannedFile[];
  readonly directories: readonly PlannedDirectory[];
  readonly links: readonly PlannedLink[];
  readonly units: readonly PlannedUnit[];
  readonly users: readonly PlannedUser[];
}

/** A mutable plan under construction; modules add to it in a fixed order. */
export interface PlanBuilder {
  readonly node: ResolvedNode;
  readonly cluster: ResolvedCluster;
  readonly binDir: string;
  readonly files: PlannedFile[];
  readonly directories: PlannedDirectory[];
  readonly links: PlannedLink[];
  readonly units: PlannedUnit[];
  readonly users: PlannedUser[];
  readonly templates: TemplateRenderer;
  /** A value computed once per project (the same for every node), e.g. the kubeconfig text. */
  readonly share: <T>(key: string, make: () => T) => T;
  /**
   * Adds an entry that depends on the node's own facts (name, addresses), made by `make` from the
   * node it is given: nodes that differ only in those facts share the rest of their plan
   * (plan/plan-node.ts), and get just these entries made anew. `make` must read node facts from
   * its argument alone.
   */
  readonly perNodeFile: (make: (node: ResolvedNode) => PlannedFile) => void;
  readonly perNodeUnit: (make: (node: ResolvedNode) => PlannedUnit) => void;
}

/** Renders a named template; `context` is plain JSON data (renders are cached by its JSON text). */
/** `perNode`: the context holds values of this node alone (its name), so the render is not remembered. */
export type TemplateRenderer = (name: string, context: Record<string, unknown>, options?: { readonly perNode?: boolean }) => string;
