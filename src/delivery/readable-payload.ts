/**
 * A payload as a reviewer should read it (pure): gzip undone, Ignition data URLs and cloud-init
 * `encoding: b64|gz+b64` contents decoded, and secrets masked as `<secret>` — the kubeconfig
 * file (flanneld's token or client key) wherever it is embedded, and any `token:` or
 * `client-key-data:` value. Binary payloads (seed.iso, ignition.img) are never shown.
 */
import { gunzipSync } from 'node:zlib';
import { dump, load } from 'js-yaml';

const SECRET = '<secret>';

export type Readable = { readonly text: string; readonly notes: readonly string[] } | { readonly binary: true };

const isGzip = (b: Uint8Array): boolean => b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;

/** Files whose whole contents are a credential. */
function isSecretPath(path: string): boolean {
  return /kubeconfig$|\.key$|token$/.test(path);
}

/** Masks `token:` and `client-key-data:` values in YAML-ish and JSON-ish text. */
function maskSecretLines(text: string): string {
  return text
    .replace(/^(\s*(?:-\s+)?["']?(?:token|client-key-data)["']?\s*:\s*)(?!\s*$)(?![|>]\s*$).*$/gm, `$1${SECRET}`)
    .replace(/("(?:token|client-key-data)"\s*:\s*)"(?:[^"\\]|\\.)*"/g, `$1"${SECRET}"`);
}

function asText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  const text = Buffer.from(bytes).toString('utf8');
  return Buffer.from(text, 'utf8').equals(Buffer.from(bytes)) ? text : undefined;
}

/** RFC 2397 data URL → bytes (percent-encoded or base64), or undefined if it is not one. */
function decodeDataUrl(url: string): Uint8Array | undefined {
  const match = /^data:([^,]*),(.*)$/s.exec(url);
  if (!match) return undefined;
  const meta = match[1]!;
  const data = match[2]!;
  if (/;base64$/i.test(meta)) return new Uint8Array(Buffer.from(data, 'base64'));
  // Percent-encoding names bytes, not characters: decode %XX to the byte, keep the rest as-is.
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const hex = data[i] === '%' ? data.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      out.push(...Buffer.from(data[i]!, 'utf8'));
    }
  }
  return new Uint8Array(out);
}

function decodedContents(bytes: Uint8Array, compressed: boolean): string {
  let data = bytes;
  if (compressed || isGzip(data)) {
    try {
      data = new Uint8Array(gunzipSync(data));
    } catch {
      return '<undecodable gzip>';
    }
  }
  return asText(data) ?? `<binary, ${data.byteLength} bytes>`;
}

interface IgnitionUnit {
  name?: string;
  contents?: string;
  dropins?: { name?: string; contents?: string }[];
}

interface IgnitionFile {
  path?: string;
  contents?: { source?: string; compression?: string };
  append?: { source?: string; compression?: string }[];
}

/** Ignition JSON pretty-printed with each data URL replaced by a reference to a decoded section below. */
function readableIgnition(config: Record<string, unknown>, notes: string[]): string {
  const sections: string[] = [];
  const files = ((config.storage as { files?: IgnitionFile[] } | undefined)?.files ?? []) as IgnitionFile[];
  files.forEach((file, i) => {
    const resources = [...(file.contents ? [['contents', file.contents] as const] : []), ...(file.append ?? []).map((a, j) => [`append[${j}]`, a] as const)];
    for (const [where, resource] of resources) {
      const source = resource.source;
      if (typeof source !== 'string') continue;
      const bytes = decodeDataUrl(source);
      if (!bytes) continue;
      const secret = isSecretPath(file.path ?? '');
      resource.source = `<data URL, decoded below as ${file.path} ${where}>`;
      sections.push(`==> ${file.path} (${where}${resource.compression ? `, ${resource.compression}` : ''})`, secret ? SECRET : decodedContents(bytes, resource.compression === 'gzip'), '');
    }
  });
  // Unit texts are JSON strings full of \n escapes: show them as the files systemd will read.
  const units = ((config.systemd as { units?: IgnitionUnit[] } | undefined)?.units ?? []) as IgnitionUnit[];
  for (const unit of units) {
    if (typeof unit.contents === 'string') {
      sections.push(`==> unit ${unit.name}`, unit.contents, '');
      unit.contents = `<shown below as unit ${unit.name}>`;
    }
    for (const dropin of unit.dropins ?? []) {
      if (typeof dropin.contents !== 'string') continue;
      sections.push(`==> unit ${unit.name} drop-in ${dropin.name}`, dropin.contents, '');
      dropin.contents = `<shown below as unit ${unit.name} drop-in ${dropin.name}>`;
    }
  }
  if (files.some((f) => f.contents?.source?.startsWith('<data URL'))) notes.push('data URLs decoded');
  return `${JSON.stringify(config, null, 2)}\n${sections.length ? `\n${sections.join('\n')}` : ''}`;
}

interface CloudFile {
  path?: string;
  content?: string;
  encoding?: string;
}

function readableCloudConfig(text: string, notes: string[]): string | undefined {
  let doc: unknown;
  try {
    doc = load(text);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const files = (doc as { write_files?: CloudFile[] }).write_files;
  let decoded = false;
  for (const file of Array.isArray(files) ? files : []) {
    if (typeof file.content !== 'string') continue;
    if (isSecretPath(file.path ?? '')) {
      file.content = SECRET;
      continue;
    }
    const encoding = file.encoding?.toLowerCase();
    if (encoding && encoding !== 'text/plain') {
      const raw = new Uint8Array(Buffer.from(file.content, 'base64'));
      file.content = decodedContents(raw, encoding.startsWith('gz'));
      file.encoding = `${encoding} (decoded)`;
      decoded = true;
    }
  }
  if (decoded) notes.push('write_files contents decoded');
  const header = text.slice(0, text.indexOf('\n') + 1);
  return header + dump(doc, { lineWidth: -1, noRefs: true });
}

interface ButaneFile {
  path?: string;
  contents?: { inline?: string };
}

function readableButane(text: string): string | undefined {
  let doc: unknown;
  try {
    doc = load(text);
  } catch {
    return undefined;
  }
  const files = (doc as { storage?: { files?: ButaneFile[] } } | null)?.storage?.files;
  if (!Array.isArray(files)) return undefined;
  let masked = false;
  for (const file of files) {
    if (isSecretPath(file.path ?? '') && file.contents?.inline !== undefined) {
      file.contents.inline = SECRET;
      masked = true;
    }
  }
  return masked ? dump(doc, { lineWidth: -1, noRefs: true }) : text;
}

/** The text a diff should compare for the file at `path` (relative to out/<cluster>/). */
export function readablePayload(path: string, bytes: Uint8Array): Readable {
  const notes: string[] = [];
  let data = bytes;
  if (isGzip(data)) {
    try {
      data = new Uint8Array(gunzipSync(data));
      notes.push('gzip decoded');
    } catch {
      return { binary: true };
    }
  }
  const text = asText(data);
  if (text === undefined) return { binary: true };
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (isSecretPath(name)) return { text: `${SECRET}\n`, notes };
  let readable: string | undefined;
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      if (json && typeof json === 'object' && 'ignition' in json) readable = readableIgnition(json, notes);
    } catch {
      // not JSON: shown as text
    }
  } else if (text.startsWith('#cloud-config')) {
    readable = readableCloudConfig(text, notes);
  } else if (name.endsWith('.bu')) {
    readable = readableButane(text);
  }
  return { text: maskSecretLines(readable ?? text), notes };
}
