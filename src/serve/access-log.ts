/**
 * The access log's lines: one per request, naming the node it belongs to, so a lab can follow a
 * boot ("worker-2 fetched /nodes/worker-2/user-data (200, 10036 bytes)"). The node comes from
 * manifest.json: the node of each artifact, the folder of each node, the MAC of each PXE entry.
 * Files every node shares (boot.ipxe, kernels) are named by the client's address, with the node
 * that address last fetched a file of. A line never holds file contents, and the requested path is
 * printed with control and non-ASCII bytes escaped, so a client cannot write to the terminal.
 */
import type { Manifest } from '../emit/manifest.ts';
import type { RequestTarget } from './request-target.ts';

interface Owner {
  readonly node: string;
  /** The MAC a PXE entry is named by, in its file-name form (52-54-00-00-00-21). */
  readonly mac?: string;
}

export interface LoggedRequest {
  readonly method: string;
  /** The request target as the client sent it. */
  readonly rawTarget: string;
  readonly remoteAddress: string;
  readonly target: RequestTarget | undefined;
  readonly status: number;
  /** Body bytes sent, and the file's size for a part of it. */
  readonly bytes: number;
  readonly range?: { readonly start: number; readonly end: number; readonly size: number };
  /** The connection closed before the whole body was sent. */
  readonly cutOff: boolean;
}

const MAX_SHOWN_PATH = 200;

/** Printable ASCII stays; everything else becomes \xNN (bytes as the client sent them). */
function shownPath(rawTarget: string): string {
  const path = rawTarget.replace(/[?#].*$/s, '');
  const escaped = [...Buffer.from(path, 'latin1')].map((b) => (b > 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
  return escaped.length > MAX_SHOWN_PATH ? `${escaped.slice(0, MAX_SHOWN_PATH)}…` : escaped;
}

const hexhyp = (mac: string): string => mac.toLowerCase().replace(/:/g, '-');

export class AccessLog {
  private readonly owners = new Map<string, Owner>();
  private readonly nodeNames = new Set<string>();
  /** The node each client address last fetched a node's file for. */
  private readonly lastNode = new Map<string, string>();

  constructor(manifest: Manifest) {
    this.useManifest(manifest);
  }

  /** Names nodes from this manifest from now on (a build replaced the output); clients stay remembered. */
  useManifest(manifest: Manifest): void {
    this.owners.clear();
    this.nodeNames.clear();
    for (const node of manifest.nodes) {
      if (typeof node.name === 'string') this.nodeNames.add(node.name);
      const pxe = (node.delivery as { pxe?: unknown } | undefined)?.pxe;
      if (!Array.isArray(pxe)) continue;
      for (const entry of pxe as { mac?: unknown; ipxe?: unknown; grub?: unknown; pxelinux?: unknown }[]) {
        if (typeof entry.mac !== 'string') continue;
        for (const path of [entry.ipxe, entry.grub, entry.pxelinux]) {
          if (typeof path === 'string') this.owners.set(path, { node: node.name, mac: hexhyp(entry.mac) });
        }
      }
    }
    for (const artifact of manifest.artifacts) {
      if (typeof artifact.node === 'string' && !this.owners.has(artifact.path)) this.owners.set(artifact.path, { node: artifact.node });
    }
  }

  private ownerOf(target: RequestTarget | undefined): Owner | undefined {
    if (target?.folder !== 'output') return undefined;
    const owner = this.owners.get(target.path);
    if (owner !== undefined) return owner;
    // A file in a node's folder the manifest does not list (cloud-init asks for vendor-data).
    const folder = /^nodes\/([^/]+)\//.exec(target.path)?.[1];
    return folder !== undefined && this.nodeNames.has(folder) ? { node: folder } : undefined;
  }

  /** The line for one finished request (without a line break). */
  line(request: LoggedRequest): string {
    const owner = this.ownerOf(request.target);
    let who: string;
    if (owner !== undefined) {
      this.lastNode.set(request.remoteAddress, owner.node);
      who = owner.mac !== undefined ? `${owner.node} (${owner.mac})` : owner.node;
    } else {
      const seen = this.lastNode.get(request.remoteAddress);
      who = seen !== undefined ? `${request.remoteAddress} (last seen as ${seen})` : request.remoteAddress;
    }
    const verb = request.method === 'GET' ? (request.status < 300 ? 'fetched' : 'asked for') : request.method === 'HEAD' ? 'checked' : `sent ${shownPath(request.method)} for`;
    return `${who} ${verb} ${shownPath(request.rawTarget)} (${this.outcome(request)})`;
  }

  private outcome(request: LoggedRequest): string {
    const cut = request.cutOff ? ', cut off' : '';
    if (request.range !== undefined && request.status === 206) {
      return `206, bytes ${request.range.start}-${request.range.end} of ${request.range.size}${cut}`;
    }
    if (request.status === 200) return `200, ${request.bytes} bytes${cut}`;
    return String(request.status);
  }
}
