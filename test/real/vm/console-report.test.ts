/**
 * Parsing the guest report: lines may arrive with console noise before them (a kernel message
 * without a newline), subjects are optional, and KVM-DONE only counts on a line of its own.
 */
import { describe, expect, it } from 'vitest';
import { parseConsoleReport } from './console-report.ts';

describe('console report', () => {
  const console = [
    '[   12.3] systemd[1]: Started something.',
    'KVM-CHECK unit flanneld.service enabled=enabled active=active result=success status=stand-in_flanneld_running',
    '[  99.1] random: crng init doneKVM-CHECK file /opt/bin/flanneld mode=755 owner=root:root sha512=abc',
    'KVM-CHECK failed units=a.service,b.service,',
    'KVM-CHECK sysctl net.ipv4.ip_forward want=1 have=0\r',
    'echo KVM-DONE is not the end',
  ].join('\n');

  it('reads kind, subject and key=value fields, even after console noise on the same line', () => {
    const report = parseConsoleReport(console);
    expect(report.get('unit', 'flanneld.service')).toEqual({
      enabled: 'enabled', active: 'active', result: 'success', status: 'stand-in_flanneld_running',
    });
    expect(report.get('file', '/opt/bin/flanneld')).toEqual({ mode: '755', owner: 'root:root', sha512: 'abc' });
    expect(report.get('failed', '').units).toBe('a.service,b.service,');
    expect(report.all('sysctl')).toEqual([{ kind: 'sysctl', subject: 'net.ipv4.ip_forward', fields: { want: '1', have: '0' } }]);
    expect(report.get('unit', 'absent.service')).toEqual({});
  });

  it('is done only when KVM-DONE stands on its own line', () => {
    expect(parseConsoleReport(console).done).toBe(false);
    expect(parseConsoleReport(`${console}\nKVM-DONE\r\n[  100.0] reboot: Power down`).done).toBe(true);
  });
});
