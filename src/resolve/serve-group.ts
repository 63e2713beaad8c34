/**
 * `delivery.serveGroup`: the group a web server (or libvirt's qemu user) runs in, which may read the
 * output. Looked up through the system's name service (getent, so LDAP and sssd groups count too)
 * when the project is resolved, so a group this machine does not know is reported at its setting
 * before anything is written.
 */
import { spawnSync } from 'node:child_process';
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.ts';

export interface ServeGroup {
  readonly name: string;
  readonly gid: number;
}

/**
 * A published output whose configs only the builder can read: a web server running as another user
 * gets 403 on every config while the PXE scripts (0644) are served, which is hard to diagnose from
 * the node. Said once, at publishURL.
 */
export function privateOutputWarning(location: SourceLocation): Diagnostic {
  return {
    code: 'delivery/private-output',
    severity: 'warning',
    message: 'the configs are published at publishURL but readable only by the user who builds them (0600 files in 0700 folders): a web server running as another user cannot serve them',
    hint: "set delivery.serveGroup to the web server's group (www-data for nginx and Apache on Debian), or serve the output as this user (kindling serve)",
    location,
  };
}

export function lookupServeGroup(name: string, location: SourceLocation, diagnostics: Diagnostic[]): ServeGroup | undefined {
  const run = spawnSync('getent', ['group', name], { encoding: 'utf8', timeout: 10_000 });
  // getent prints name:password:gid:members, and exits 2 for a name it does not know.
  const gid = run.status === 0 ? Number(run.stdout.split('\n')[0]?.split(':')[2]) : NaN;
  if (Number.isInteger(gid) && gid >= 0) return { name, gid };
  diagnostics.push({
    code: 'delivery/unknown-group',
    severity: 'error',
    message: `serveGroup '${name}' is not a group on this machine${run.error ? ` (getent: ${run.error.message})` : ''}`,
    hint: "name the group your web server runs in (nginx and Apache on Debian: www-data), or create it with 'groupadd'",
    location,
  });
  return undefined;
}
