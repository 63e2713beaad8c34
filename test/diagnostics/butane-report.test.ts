/** A node's translated Butane config as the build's Diagnostics (src/diagnostics/butane-report.ts). */
import { describe, expect, it } from 'vitest';
import { translateButane } from '../../src/butane/index.ts';
import { generatedConfigDiagnostics, type GeneratedConfigOwner } from '../../src/diagnostics/butane-report.ts';

const flatcar = (body: string) => `variant: flatcar\nversion: 1.0.0\n${body}`;
const NODE = { file: 'nodes/nodes.yaml', line: 13, column: 7 };
const UNIT_LINE = { file: 'roles/worker.yaml', line: 12, column: 5 };

/** worker-1, whose units come from the role and whose files come from kindling itself. */
const worker: GeneratedConfigOwner = {
  name: 'worker-1',
  origin: NODE,
  profileLineOf: (entry) => (entry.path?.[0] === 'systemd' ? UNIT_LINE : undefined),
};

describe('generatedConfigDiagnostics', () => {
  it("says a warning about the node's config at the profile line behind the entry, naming the config.bu line", () => {
    const result = translateButane(flatcar('systemd:\n  units:\n    - name: a.service\n      enabled: true\n      contents: "[Unit]\\n"\n'));
    expect(generatedConfigDiagnostics(result, worker)).toEqual([
      {
        code: 'ignition/warning',
        severity: 'warning',
        message: 'node worker-1: the generated Ignition config has a warning: unit "a.service" is enabled, but has no install section so enable does nothing (config.bu line 7)',
        hint: 'fix this entry of the profile',
        location: UNIT_LINE,
      },
    ]);
  });

  it('says an error no profile line explains at the node, asking for a report if kindling made it', () => {
    const result = translateButane(flatcar('storage:\n  files:\n    - path: etc/x\n'));
    expect(generatedConfigDiagnostics(result, worker)).toEqual([
      {
        code: 'ignition/invalid',
        severity: 'error',
        message: 'node worker-1: the generated Ignition config is invalid: path not absolute (config.bu line 5)',
        hint: 'run `kindling plan` for the node to see the generated entry; if it comes from kindling itself, please report it',
        location: NODE,
      },
    ]);
  });

  it('says a failure without an error entry as one butane/invalid error at the node, with the translator\'s last line', () => {
    const result = translateButane('variant: nonsense\nversion: 1.0.0\n');
    expect(generatedConfigDiagnostics(result, worker)).toEqual([
      {
        code: 'butane/invalid',
        severity: 'error',
        message: 'node worker-1: the generated config.bu did not translate: Error translating config: No translator exists for variant nonsense with version 1.0.0',
        hint: 'this is most likely a kindling bug; please report it with the profile',
        location: NODE,
      },
    ]);
  });

  it('says nothing about a config that translated cleanly', () => {
    expect(generatedConfigDiagnostics(translateButane(flatcar('')), worker)).toEqual([]);
  });
});
