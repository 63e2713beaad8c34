import { describe, expect, it } from 'vitest';
import { autoinstallProblems } from '../../../src/render/install/autoinstall-schema.ts';

/** The smallest section kindling writes, with a replacement for some keys. */
function section(change: Record<string, unknown> = {}): { autoinstall: Record<string, unknown> } {
  return {
    autoinstall: {
      version: 1,
      storage: { layout: { name: 'direct', match: { path: '/dev/sda' } } },
      ssh: { 'install-server': true, 'allow-pw': false },
      shutdown: 'reboot',
      'user-data': { users: [{ name: 'core' }] },
      ...change,
    },
  };
}

describe('the autoinstall check', () => {
  it('accepts the section kindling writes, and the legacy network form with an extra network level', () => {
    expect(autoinstallProblems(section())).toEqual([]);
    const network = { version: 2, ethernets: { ens3: { match: { macaddress: '52:54:00:00:00:22' }, 'set-name': 'ens3', dhcp4: false, addresses: ['10.0.0.22/24'], routes: [{ to: '0.0.0.0/0', via: '10.0.0.1' }] } } };
    expect(autoinstallProblems(section({ network }))).toEqual([]);
    expect(autoinstallProblems(section({ network: { network } }))).toEqual([]);
  });

  it('rejects a value of the wrong type', () => {
    expect(autoinstallProblems(section({ version: '1' }))).toEqual([{ path: 'autoinstall.version', message: "must be an integer, not the string '1'" }]);
    expect(autoinstallProblems(section({ ssh: { 'install-server': 'yes' } }))).toEqual([{ path: 'autoinstall.ssh.install-server', message: "must be true or false, not the string 'yes'" }]);
    expect(autoinstallProblems(section({ 'user-data': '#cloud-config\n' }))).toEqual([{ path: 'autoinstall.user-data', message: "must be a mapping, not the string '#cloud-config\n'" }]);
    expect(autoinstallProblems(section({ 'late-commands': [['echo', 1]] }))).toEqual([{ path: 'autoinstall.late-commands[0]', message: 'must be a string, not a list' }]);
  });

  it('rejects a key the reference does not define, at the top and inside a section', () => {
    expect(autoinstallProblems(section({ 'late-command': ['true'] }))).toEqual([{ path: 'autoinstall.late-command', message: 'is not a key the autoinstall reference defines here' }]);
    expect(autoinstallProblems(section({ storage: { layout: { name: 'direct', match: { disk: '/dev/sda' } } } }))).toEqual([
      { path: 'autoinstall.storage.layout.match.disk', message: 'is not a key the autoinstall reference defines here' },
    ]);
    expect(autoinstallProblems(section({ network: { version: 2, ethernets: { ens3: { dhcp: true } } } }))).toEqual([
      { path: 'autoinstall.network.ethernets.ens3.dhcp', message: 'is not a key the autoinstall reference defines here' },
    ]);
  });

  it('rejects a section without version, and a document without a section', () => {
    const { version: _, ...rest } = section().autoinstall;
    expect(autoinstallProblems({ autoinstall: rest })).toEqual([{ path: 'autoinstall', message: "needs the key 'version'" }]);
    expect(autoinstallProblems({ 'user-data': {} })).toEqual([{ path: '', message: 'the document has no autoinstall section' }]);
  });

  it('rejects a version other than 1, a choice it does not list, and a layout only later releases know', () => {
    expect(autoinstallProblems(section({ version: 2 }))).toEqual([{ path: 'autoinstall.version', message: 'must be 1, not 2' }]);
    expect(autoinstallProblems(section({ shutdown: 'halt' }))).toEqual([{ path: 'autoinstall.shutdown', message: "must be one of reboot, poweroff, not 'halt'" }]);
    expect(autoinstallProblems(section({ storage: { layout: { name: 'zfs' } } }))).toEqual([{ path: 'autoinstall.storage.layout.name', message: "must be one of lvm, direct, not 'zfs'" }]);
  });

  it('needs identity when no user-data is given, with its three required keys', () => {
    const { 'user-data': _, ...rest } = section().autoinstall;
    expect(autoinstallProblems({ autoinstall: rest })).toEqual([{ path: 'autoinstall', message: 'needs identity unless user-data is given' }]);
    expect(autoinstallProblems({ autoinstall: { ...rest, identity: { username: 'core', hostname: 'worker-2' } } })).toEqual([{ path: 'autoinstall.identity', message: "needs the key 'password'" }]);
  });
});
