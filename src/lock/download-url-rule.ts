/**
 * The rule every URL a lock download touches must obey — the URL asked for and each redirect hop
 * alike: https, or plain http only for the downloads of a mirror marked `allowHttp` (the profile
 * validation's rule for the mirror, applied to where the bytes really come from). A redirect to
 * plain http would otherwise let anyone on the path choose the bytes that get pinned.
 */

/** Redirects followed per download; GitHub needs one, a chain longer than this is a loop or a misconfiguration. */
export const MAX_REDIRECTS = 10;

/** Statuses whose Location is followed (as fetch follows them). */
export function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** Why `url` may not be fetched (a phrase to follow the URL in a message), or undefined when it may. */
export function downloadUrlProblem(url: string, allowHttp: boolean): string | undefined {
  const protocol = URL.canParse(url) ? new URL(url).protocol : undefined;
  if (protocol === 'https:' || (protocol === 'http:' && allowHttp)) return undefined;
  const uses = protocol === undefined ? 'is not a URL' : protocol === 'http:' ? 'uses plain http' : `uses ${protocol}`;
  return `${uses}, and only https is allowed (plain http only from a mirror marked allowHttp: true)`;
}
