/**
 * `--listen ADDR:PORT`: where `kindling serve` binds. Only IP literals (and `localhost`), so that
 * what the user wrote is exactly the interface that answers; `:PORT` keeps the loopback default,
 * and port 0 lets the kernel pick a free port.
 */
import { isIP } from 'node:net';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** Loopback only, unless the user names another address. */
export const DEFAULT_LISTEN: ListenAddress = { host: '127.0.0.1', port: 8080 };

/** The address `text` names, or a sentence saying why it names none. */
export function parseListenAddress(text: string): ListenAddress | string {
  const match = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  if (match === null) return `--listen takes ADDR:PORT (e.g. 127.0.0.1:8080, [::1]:8080 or :0), not ${JSON.stringify(text)}`;
  const port = Number(match[3]);
  if (port > 65535) return `--listen: port ${port} is out of range (0-65535; 0 picks a free port)`;
  const bracketed = match[1];
  const plain = match[2] ?? '';
  if (bracketed !== undefined) {
    return isIP(bracketed) === 6 ? { host: bracketed, port } : `--listen: [${bracketed}] is not an IPv6 address`;
  }
  if (plain === '') return { host: DEFAULT_LISTEN.host, port };
  if (plain === 'localhost') return { host: '127.0.0.1', port };
  return isIP(plain) === 4 ? { host: plain, port } : `--listen: ${JSON.stringify(plain)} is not an IP address (write an IPv6 address in brackets: [::1]:8080)`;
}

/** Whether only this machine can reach `host`. */
export function isLoopback(host: string): boolean {
  return host === '::1' || /^127\./.test(host) || /^::ffff:127\./i.test(host);
}

/** `host:port` as a URL authority (IPv6 in brackets). */
export function urlAuthority(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
