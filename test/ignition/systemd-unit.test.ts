import { describe, expect, it } from 'vitest';
import { readUnitContents } from '../../src/ignition/systemd-unit.ts';

describe('readUnitContents', () => {
  it('returns every option with its section, joining continuation lines', () => {
    const result = readUnitContents(
      '# comment\n[Unit]\nDescription = flannel \n\n[Service]\nExecStart=/opt/bin/flanneld \\\n  --ip-masq\n[Install]\nWantedBy=multi-user.target\n',
    );
    expect(result).toEqual({
      ok: true,
      options: [
        { section: 'Unit', name: 'Description', value: 'flannel' },
        { section: 'Service', name: 'ExecStart', value: '/opt/bin/flanneld \\\n  --ip-masq' },
        { section: 'Install', name: 'WantedBy', value: 'multi-user.target' },
      ],
    });
  });

  it('ignores text before the first section, as go-systemd does', () => {
    expect(readUnitContents('ExecStart=/bin/true\n[Service]\nA=1\n')).toEqual({
      ok: true,
      options: [{ section: 'Service', name: 'A', value: '1' }],
    });
  });

  it('gives go-systemd error texts for broken units', () => {
    expect(readUnitContents('[Service')).toEqual({ ok: false, error: 'unable to find end of section' });
    expect(readUnitContents('[Service]\nExecStart\n')).toEqual({
      ok: false,
      error: 'unexpected newline encountered while parsing option name',
    });
    expect(readUnitContents('[Service]\nExecStart')).toEqual({ ok: false, error: 'EOF' });
    expect(readUnitContents('[Service] "junk"\n')).toEqual({
      ok: false,
      error: 'found garbage after section name : "\\"junk\\""',
    });
  });

  it('refuses a line systemd would truncate only when go-systemd notices it, as ignition-validate does', () => {
    // go-systemd checks the 2048-byte limit only while its 4 KiB bufio buffer holds 2048 bytes,
    // so the outcome depends on where the line falls. These outcomes were observed with
    // ignition-validate 2.14.0 (validate.test.ts repeats the comparison live).
    const outcome = (before: number): boolean =>
      readUnitContents(`[Service]\n${'B=1\n'.repeat(before / 4)}A=${'x'.repeat(2100)}\n`).ok;
    for (const before of [0, 1000, 2000, 5000]) expect([before, outcome(before)]).toEqual([before, false]);
    for (const before of [3000, 4000]) expect([before, outcome(before)]).toEqual([before, true]);
    expect(readUnitContents(`[Service]\nA=${'x'.repeat(2030)}\n`).ok).toBe(true);
  });
});
