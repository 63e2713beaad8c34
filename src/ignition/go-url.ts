/**
 * Go `net/url.Parse` (enough to know whether it fails, and the scheme/opaque/query it yields)
 * and Ignition's `validateURL` on top of it. WHATWG `new URL()` accepts and rejects different
 * strings than Go does, so it cannot stand in for Ignition's check.
 */
import { checkDataUrl } from './data-url.ts';
import { IGNITION_ERRORS as E, type IgnitionMessage } from './errors.ts';
import type { IgnitionSpecVersion } from './validate.ts';

export interface GoUrl {
  scheme: string;
  opaque: string;
  rawQuery: string;
}

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

type EscapeMode = 'path' | 'host' | 'userinfo' | 'fragment';

/** Go's shouldEscape for the host mode only (the others only need valid %-escapes here). */
function hostCharNeedsEscape(c: string): boolean {
  if (/[A-Za-z0-9]/.test(c)) return false;
  return !"-_.~!$&'()*+,;=:[]<>\"".includes(c);
}

/** Go url.unescape validity for the given mode. */
function unescapeOk(s: string, mode: EscapeMode): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '%') {
      if (i + 2 >= s.length) return false;
      if (!isHex(s[i + 1]) || !isHex(s[i + 2])) return false;
      // In a host, only %25 (zone) and non-ASCII escapes are allowed.
      if (mode === 'host' && parseInt(s[i + 1]!, 16) < 8 && s.slice(i, i + 3) !== '%25') return false;
      i += 2;
      continue;
    }
    if (mode === 'host' && c.charCodeAt(0) < 0x80 && hostCharNeedsEscape(c)) return false;
  }
  return true;
}

function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  return /^:[0-9]*$/.test(port);
}

function parseHost(host: string): boolean {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) return false;
    if (!validOptionalPort(host.slice(i + 1))) return false;
  } else {
    const i = host.lastIndexOf(':');
    if (i !== -1 && !validOptionalPort(host.slice(i))) return false;
  }
  return unescapeOk(host, 'host');
}

function parseAuthority(authority: string): boolean {
  const at = authority.lastIndexOf('@');
  if (!parseHost(at < 0 ? authority : authority.slice(at + 1))) return false;
  if (at < 0) return true;
  const userinfo = authority.slice(0, at);
  if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) return false;
  return userinfo.split(':').every((part) => unescapeOk(part, 'userinfo'));
}

/** Go url.Parse; null when it returns an error. */
export function goParseUrl(raw: string): GoUrl | null {
  const hash = raw.indexOf('#');
  const u = hash < 0 ? raw : raw.slice(0, hash);
  const frag = hash < 0 ? '' : raw.slice(hash + 1);
  for (let i = 0; i < u.length; i++) {
    const code = u.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return null;
  }
  if (u === '*') return { scheme: '', opaque: '', rawQuery: '' };
  let scheme = '';
  let rest = u;
  for (let i = 0; i < u.length; i++) {
    const c = u[i]!;
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) break;
      continue;
    }
    if (c === ':') {
      if (i === 0) return null; // missing protocol scheme
      scheme = u.slice(0, i).toLowerCase();
      rest = u.slice(i + 1);
    }
    break;
  }
  let rawQuery = '';
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (scheme !== '') {
      if (frag !== '' && !unescapeOk(frag, 'fragment')) return null;
      return { scheme, opaque: rest, rawQuery };
    }
    const segment = rest.split('/')[0]!;
    if (segment.includes(':')) return null; // first path segment cannot contain colon
  }
  if ((scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    if (!parseAuthority(authority)) return null;
  }
  if (!unescapeOk(rest, 'path')) return null;
  if (frag !== '' && !unescapeOk(frag, 'fragment')) return null;
  return { scheme, opaque: '', rawQuery };
}

/**
 * Go url.Query()["versionId"]: the values of that key. Pairs that fail to decode or contain ';'
 * are skipped, as Go does; only emptiness of a value matters to Ignition, so values stay raw.
 */
function queryValues(rawQuery: string, key: string): string[] | undefined {
  let found: string[] | undefined;
  for (const part of rawQuery.split('&')) {
    if (part === '' || part.includes(';')) continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    if (!unescapeOk(k, 'path') || !unescapeOk(v, 'path')) continue;
    let decodedKey = k;
    try {
      decodedKey = decodeURIComponent(k.replace(/\+/g, ' '));
    } catch {
      // Invalid UTF-8 after unescaping is fine for Go; keep the raw key.
    }
    if (decodedKey === key) (found ??= []).push(v);
  }
  return found;
}

/** aws-sdk-go arn.Parse + Ignition's S3 checks (spec 3.4.0 `arn:` sources). */
function validateS3Arn(full: string, rawQuery: string): IgnitionMessage | null {
  const sections = full.split(':');
  if (!full.startsWith('arn:') || sections.length < 6) return E.s3ArnFormat;
  const [, partition, service] = sections;
  const resource = sections.slice(5).join(':');
  if (partition === '') return E.arnPartition;
  if (service === '') return E.arnService;
  if (resource === '') return E.arnResource;
  if (service !== 's3') return E.s3ArnFormat;
  const slashParts = full.split('/').length;
  if (resource.startsWith('accesspoint/') ? slashParts < 3 : slashParts < 2) return E.s3ArnFormat;
  const v = queryValues(rawQuery, 'versionId');
  if (v && (v.length === 0 || v[0] === '')) return E.s3VersionId;
  return null;
}

/**
 * Ignition's validateURL: the error text, or null when the source is acceptable. The validator
 * remembers results per spec version (ValidationMemory): a fleet's nodes fetch the same few
 * artifacts and share most data URLs.
 */
export function validateSourceUrl(source: string, version: IgnitionSpecVersion): IgnitionMessage | null {
  const u = goParseUrl(source);
  if (!u) return E.urlUnparsable;
  switch (u.scheme) {
    case 'http':
    case 'https':
    case 'tftp':
    case 'gs':
      return null;
    case 's3': {
      const v = queryValues(u.rawQuery, 'versionId');
      if (v && (v.length === 0 || v[0] === '')) return E.s3VersionId;
      return null;
    }
    case 'arn':
      if (version === '3.3.0') return E.urlScheme;
      return validateS3Arn(`${u.scheme}:${u.opaque}`, u.rawQuery);
    case 'data':
      return checkDataUrl(source);
    default:
      return E.urlScheme;
  }
}
