/**
 * Ignition's rules for resources (file contents and appends, merge/replace configs, CA
 * certificates, LUKS key files): URL schemes and data URLs, compression, verification hashes
 * and HTTP headers.
 */
import { IGNITION_ERRORS as E, type IgnitionMessage } from './errors.ts';
import { goParseUrl } from './go-url.ts';
import { checkDuplicates, isObj, keyField, list, obj, str, type Obj, type Path, type Report } from './report.ts';
import type { IgnitionSpecVersion } from './validate.ts';
import type { ValidationMemory } from './validation-memory.ts';

const HASH_HEX_LENGTH: Record<string, number> = { sha512: 128, sha256: 64 };

/** Verification.Validate: "<function>-<hex>", only the length of the hex is checked. */
function hashError(hash: string): IgnitionMessage | null {
  const dash = hash.indexOf('-');
  if (dash < 0) return E.hashMalformed;
  const expected = HASH_HEX_LENGTH[hash.slice(0, dash)];
  if (expected === undefined) return E.hashFunction;
  return new TextEncoder().encode(hash.slice(dash + 1)).length === expected ? null : E.hashSize;
}

/** The source's URL error, if any; an empty source counts as unset, as in Ignition. */
export function sourceError(res: Obj | undefined, version: IgnitionSpecVersion, memory: ValidationMemory): IgnitionMessage | null {
  const source = str(res, 'source');
  if (source === undefined || source === '') return null;
  return memory.sourceUrlError(source, version);
}

/** validateRequiredSource: for merge entries and CAs, which are useless without a source. */
export function requiredSourceError(res: Obj | undefined, version: IgnitionSpecVersion, memory: ValidationMemory): IgnitionMessage | null {
  const err = sourceError(res, version, memory);
  if (err) return err;
  const source = str(res, 'source');
  return source === undefined || source === '' ? E.sourceRequired : null;
}

function httpHeadersSchemeError(res: Obj, headers: unknown[]): IgnitionMessage | null {
  if (headers.length === 0) return null;
  const source = str(res, 'source');
  if (source === undefined || source === '') return E.urlUnparsable;
  const url = goParseUrl(source);
  if (!url) return E.urlUnparsable;
  return url.scheme === 'http' || url.scheme === 'https' ? null : E.httpHeadersScheme;
}

export function checkResource(report: Report, path: Path, res: Obj | undefined, version: IgnitionSpecVersion): void {
  if (!res) return;
  const compression = str(res, 'compression');
  if (compression !== undefined && compression !== '' && compression !== 'gzip') {
    report.error([...path, 'compression'], E.compression);
  }
  const verification = obj(res, 'verification');
  const hash = str(verification, 'hash');
  if (hash !== undefined && str(res, 'source') === undefined) {
    report.error([...path, 'verification', 'hash'], E.verificationWithoutSource);
  }
  report.errorIf([...path, 'source'], sourceError(res, version, report.memory));
  const headers = list(res, 'httpHeaders');
  report.errorIf([...path, 'httpHeaders'], httpHeadersSchemeError(res, headers));

  // Children: the header list, then the verification struct.
  const headersPath = [...path, 'httpHeaders'];
  checkDuplicates(report, path, [{ field: 'httpHeaders', items: headers, key: keyField('name') }]);
  headers.forEach((h, i) => {
    if (!isObj(h)) return;
    if ((str(h, 'name') ?? '') === '') report.error([...headersPath, i, 'name'], E.httpHeaderNameEmpty);
    if (str(h, 'value') === '') report.error([...headersPath, i, 'value'], E.httpHeaderUnparsable);
  });
  if (hash !== undefined) report.errorIf([...path, 'verification', 'hash'], hashError(hash));
}
