/**
 * URL checks. URLs end up in shell scripts, unit files and (later) iPXE scripts, which have little or
 * no quoting, so anything beyond the plain RFC 3986 character set is rejected rather than escaped.
 */

const UNSAFE = /[\s"'`\\<>{}|^\x00-\x1f\x7f]|\$\{/;

export interface UrlRules {
  /** Plain http is acceptable (an explicitly allowed mirror). */
  readonly allowHttp?: boolean;
}

export type UrlProblem = { code: 'url/invalid' | 'url/insecure' | 'url/unsafe'; message: string; hint: string };

export function urlProblem(text: string, rules: UrlRules = {}): UrlProblem | undefined {
  const unsafe = UNSAFE.exec(text);
  if (unsafe) {
    return {
      code: 'url/unsafe',
      message: `URL contains ${JSON.stringify(unsafe[0])}, which cannot be placed safely into a script`,
      hint: 'percent-encode the character (e.g. a space as %20)',
    };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { code: 'url/invalid', message: `'${text}' is not a valid absolute URL`, hint: 'write a full URL such as https://host/path' };
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    if (rules.allowHttp) return undefined;
    return {
      code: 'url/insecure',
      message: `'${text}' uses plain http`,
      hint: 'use https; plain http is only accepted for a mirror marked allowHttp: true',
    };
  }
  return { code: 'url/invalid', message: `'${text}' uses ${url.protocol.replace(':', '')}; only https (and http for a marked mirror) are supported`, hint: 'use an https URL' };
}
