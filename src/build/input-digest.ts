/**
 * A node's input digest: one hash of everything its files are made from — the code that builds it
 * (code-identity.ts), the place of the output (its manifest entry names it), the cluster (secrets and lock hashes included, as resolved), the templates,
 * and the resolved node (its role's and the cluster's defaults merged in, local files read, artifact
 * hashes chosen). Building a node is a pure function of exactly these (build-node.ts), so two builds
 * with the same digest make the same files, and a rebuild may keep a node's previous files instead
 * of planning and rendering it again (the writer still checks them on disk).
 *
 * Equal digests must mean equal inputs; the converse need not hold (the same settings written in
 * another key order give another digest, which costs a rebuild of that node, nothing more).
 */
import { createHash, hash } from 'node:crypto';
import { sha256Hex } from '../sha256.ts';
import type { Project, ResolvedNode } from '../resolve/project-model.ts';

export class InputDigests {
  private readonly common: string;
  /**
   * A role's files, units and users are the same objects in every node of the role (resolve shares
   * them): each is serialised and hashed once per build. Safe because digests are all taken before
   * any node is built, so nothing changes an entry between two lookups.
   */
  private readonly entries = new WeakMap<object, string>();

  /** `root`: the absolute path of out/<cluster>/, which the manifest's VM arguments name. */
  constructor(project: Project, code: string, root: string) {
    this.common = createHash('sha256')
      .update(code)
      .update('\0')
      .update(root)
      .update('\0')
      .update(serialise(project.cluster))
      .update('\0')
      .update(serialise(project.templates))
      .digest('hex');
  }

  /** The digest of one node of the project. */
  of(node: ResolvedNode): string {
    // Everything but the entries is plain data (the node's type holds no bytes, Map or Set), so the
    // plain JSON.stringify spells it fully.
    const own = { ...node, files: node.files.map(this.entry), units: node.units.map(this.entry), users: node.users.map(this.entry) };
    return hash('sha256', `${this.common}\0${JSON.stringify(own)}`, 'hex');
  }

  private readonly entry = (value: object): string => {
    let digest = this.entries.get(value);
    if (digest === undefined) this.entries.set(value, (digest = hash('sha256', serialise(value), 'hex')));
    return digest;
  };
}

/**
 * JSON, with bytes as their hash (JSON.stringify would spell out every byte). The holder's own value
 * is looked at, before a Buffer's toJSON. A Map or Set would serialise as `{}` whatever it held, so
 * it is refused rather than silently taken as empty.
 */
function serialise(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const own = key === '' ? v : this[key];
    if (own instanceof Uint8Array) return { bytes: own.byteLength, sha256: sha256Hex(own) };
    if (own instanceof Map || own instanceof Set) throw new TypeError(`input digest: '${key}' is a ${own.constructor.name}, which JSON cannot spell`);
    return v;
  });
}
