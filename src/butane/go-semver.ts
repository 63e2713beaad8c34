/**
 * go-semver's NewVersion, which Butane parses `version` with, and the key it looks translators up
 * by (Version.String()): lax where the SemVer spec is strict (leading zeros, a sign, an empty
 * pre-release), strict about three dotted numbers. "01.5.0" is 1.5.0; "1.5.0+x" keeps its
 * metadata, so no translator has it.
 */
const IDENTIFIER = /^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$/;
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64): an optional sign and decimal digits within int64. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= -INT64_MAX - 1n && n <= INT64_MAX ? n : undefined;
}

/** The registry key of a version text ("1.5.0", "1.7.0-experimental"), or undefined when go-semver refuses it. */
export function goSemverKey(text: string): string | undefined {
  let rest = text;
  let metadata = '';
  let preRelease = '';
  const plus = rest.indexOf('+');
  if (plus >= 0) [rest, metadata] = [rest.slice(0, plus), rest.slice(plus + 1)];
  const dash = rest.indexOf('-');
  if (dash >= 0) [rest, preRelease] = [rest.slice(0, dash), rest.slice(dash + 1)];
  const parts = rest.split('.');
  const dotted = parts.length <= 3 ? parts : [parts[0]!, parts[1]!, parts.slice(2).join('.')];
  if (dotted.length !== 3) return undefined;
  if (preRelease !== '' && !IDENTIFIER.test(preRelease)) return undefined;
  if (metadata !== '' && !IDENTIFIER.test(metadata)) return undefined;
  const numbers = dotted.map(parseInt64);
  if (numbers.some((n) => n === undefined)) return undefined;
  return `${numbers.join('.')}${preRelease ? '-' + preRelease : ''}${metadata ? '+' + metadata : ''}`;
}
