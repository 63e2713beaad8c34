/** Bad `monitoring.flannel` settings: clear messages at the value's line and column. */
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/build/load-project.ts';
import { exampleProject, replaceOnce } from '../helpers/project.ts';

function errors(block: string): { code: string; message: string; at: string }[] {
  const loaded = loadProject(exampleProject({ 'nodes/nodes.yaml': replaceOnce('name: cp-1\n', `name: cp-1\n${block}`) }), { env: {} });
  return loaded.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => ({ code: d.code, message: d.message, at: `${d.location?.file.split('/').slice(-2).join('/')}:${d.location?.line}:${d.location?.column}` }));
}

describe('monitoring.flannel settings', () => {
  it('refuses listen and textfileDir in one layer, at the block', () => {
    expect(errors('monitoring: { flannel: { listen: "10.0.0.1:9587", textfileDir: /x } }\n')).toEqual([
      { code: 'schema/invalid', message: "'monitoring.flannel' may set only one of: listen, textfileDir", at: 'nodes/nodes.yaml:6:24' },
    ]);
  });

  it('refuses a listen address without a port in range, saying what it must look like', () => {
    expect(errors('monitoring: { flannel: { listen: "10.0.0.1:70000" } }\n')).toEqual([
      { code: 'schema/pattern', message: "'monitoring.flannel.listen' must be <IPv4>:<port> or [<IPv6>]:<port>, the port 1 to 65535", at: 'nodes/nodes.yaml:6:34' },
    ]);
  });

  it('refuses a relative textfile folder', () => {
    expect(errors('monitoring: { flannel: { textfileDir: relative/dir } }\n')).toEqual([
      { code: 'schema/pattern', message: "'monitoring.flannel.textfileDir' must be an absolute folder path, without spaces or a final /", at: 'nodes/nodes.yaml:6:39' },
    ]);
  });
});
