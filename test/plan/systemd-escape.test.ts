import { describe, expect, it } from 'vitest';
import { environmentAssignment, execArg, plainValue } from '../../src/plan/systemd-escape.ts';
import { systemdVerify } from '../helpers/systemd-verify.ts';

describe('systemd escaping', () => {
  it('doubles % and $ and quotes arguments with spaces or quotes', () => {
    expect(execArg('--a=b')).toBe('--a=b');
    expect(execArg('--x=100%')).toBe('--x=100%%');
    expect(execArg('--home=$HOME')).toBe('--home=$$HOME');
    expect(execArg('--labels=a b')).toBe('"--labels=a b"');
    expect(execArg(`it's "q"`)).toBe(`"it's \\"q\\""`);
    expect(environmentAssignment('NODE_NAME', 'node-1')).toBe('NODE_NAME=node-1');
    expect(environmentAssignment('X', '50% a')).toBe('"X=50%% a"');
    expect(plainValue('100%')).toBe('100%%');
  });

  it('refuses control characters', () => {
    expect(() => execArg('a\nb')).toThrow(/control character/);
  });

  it('produces lines that systemd-analyze verify accepts', () => {
    const args = ['--x=100%', '--home=$HOME', '--labels=a b', `it's "q"`, '--path=/a\\b'].map(execArg).join(' ');
    const unit = `[Unit]\nDescription=${plainValue('escaping test 100%')}\n\n[Service]\nEnvironment=${environmentAssignment('A', '50% b')}\nExecStart=/opt/bin/tool ${args}\n\n[Install]\nWantedBy=multi-user.target\n`;
    const result = systemdVerify([{ name: 'escape-test.service', contents: unit }]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});
