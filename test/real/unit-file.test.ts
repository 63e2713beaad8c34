import { describe, expect, it } from 'vitest';
import { expandSpecifiers, orderUnits, parseEnvironment, parseEnvironmentFile, parseExec, parseUnit, splitWords, unitValues } from './harness/unit-file.ts';

describe('the test unit-file reader', () => {
  it('lets drop-ins add to and reset repeated keys, as systemd does', () => {
    const unit = parseUnit('a.service', [
      '[Service]\nType=oneshot\nExecStart=/bin/true\nExecStart=/bin/echo one \\\n  two\n',
      '[Service]\nExecStart=\nExecStart=/bin/false\n',
    ]);
    expect(unitValues(unit, 'Service', 'ExecStart')).toEqual(['/bin/false']);
    expect(parseUnit('b.service', ['[Service]\nExecStart=/bin/echo one \\\n  two\n']).sections.get('Service')?.get('ExecStart'))
      .toEqual(['/bin/echo one    two']);
  });

  it('splits words with quotes and C escapes', () => {
    expect(splitWords(`/bin/sh -c 'set -e; echo "$x"' "a b\\tc" d\\ e`).map((w) => w.word)).toEqual([
      '/bin/sh', '-c', 'set -e; echo "$x"', 'a b\tc', 'd e',
    ]);
  });

  it('expands ${VAR} in place, splits a bare $VAR, and leaves variables alone after the : prefix', () => {
    const env = { ARGS: '--a=1  --b=2', DIR: '/opt/bin' };
    expect(parseExec('${DIR}/flanneld $ARGS --c=${DIR}', 'f.service', env).argv).toEqual([
      '/opt/bin/flanneld', '--a=1', '--b=2', '--c=/opt/bin',
    ]);
    expect(parseExec(':/bin/echo $ARGS', 'f.service', env).argv).toEqual(['/bin/echo', '$ARGS']);
    expect(parseExec('-/bin/false', 'f.service', env)).toMatchObject({ argv: ['/bin/false'], ignoreFailure: true });
  });

  it('expands specifiers and rejects ones it does not know', () => {
    expect(expandSpecifiers('%n %N %p %i 100%% %t', 'getty@tty1.service')).toBe('getty@tty1.service getty@tty1 getty tty1 100% /run');
    expect(() => expandSpecifiers('%H', 'a.service')).toThrow(/not supported/);
  });

  it('reads Environment= and EnvironmentFile text', () => {
    expect(parseEnvironment(parseUnit('a.service', ['[Service]\nEnvironment="NODE_NAME=node-1" B=2\nEnvironment=C="x y"\n'])))
      .toEqual({ NODE_NAME: 'node-1', B: '2', C: 'x y' });
    expect(parseEnvironmentFile('# c\nA=1\nB="two words"\n\n')).toEqual({ A: '1', B: 'two words' });
  });

  it('orders units by After= and Before= and reports cycles', () => {
    const a = parseUnit('a.service', ['[Unit]\nAfter=b.service network-online.target\n']);
    const b = parseUnit('b.service', ['[Unit]\n']);
    const c = parseUnit('c.service', ['[Unit]\nBefore=b.service\n']);
    expect(orderUnits([a, b, c]).map((u) => u.name)).toEqual(['c.service', 'b.service', 'a.service']);
    const x = parseUnit('x.service', ['[Unit]\nAfter=y.service\n']);
    const y = parseUnit('y.service', ['[Unit]\nAfter=x.service\n']);
    expect(() => orderUnits([x, y])).toThrow(/cycle/);
  });
});
