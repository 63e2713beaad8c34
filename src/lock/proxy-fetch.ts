/**
 * The transport of `kindling lock`'s downloads: fetch with the proxy the environment names, as curl
 * and most tools read it. Node 20's built-in fetch ignores these variables, so a site that reaches
 * the internet only through a proxy could not pin anything; undici's EnvHttpProxyAgent implements
 * the convention, and undici's own fetch is used with it (a dispatcher from the npm package is not
 * guaranteed to fit the undici inside Node's fetch).
 *
 * - https downloads go through `https_proxy`/`HTTPS_PROXY` (a CONNECT tunnel, so TLS is still
 *   end to end), or through the http proxy when only that is set;
 * - plain-http downloads (a mirror marked allowHttp) through `http_proxy`/`HTTP_PROXY`;
 * - hosts listed in `no_proxy`/`NO_PROXY` (comma-separated names, `.suffix`, `host:port`, `*`)
 *   are reached directly.
 * The lower-case form wins when both are set. The variables are read from `env` only, once.
 */
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';

export interface DownloadTransport {
  readonly fetch: typeof fetch;
  /** Ends the kept-alive connections, so the process can exit. */
  close(): Promise<void>;
}

function variable(env: Readonly<Record<string, string | undefined>>, name: string): string {
  return env[name.toLowerCase()] || env[name.toUpperCase()] || '';
}

export function proxyAwareTransport(env: Readonly<Record<string, string | undefined>>): DownloadTransport {
  // An empty string, never undefined: undefined would make undici read process.env itself.
  const dispatcher = new EnvHttpProxyAgent({
    httpProxy: variable(env, 'http_proxy'),
    httpsProxy: variable(env, 'https_proxy'),
    noProxy: variable(env, 'no_proxy'),
  });
  const fetchThrough = ((input: string | URL, init?: RequestInit) =>
    undiciFetch(input, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher })) as unknown as typeof fetch;
  return { fetch: fetchThrough, close: () => dispatcher.close() };
}
