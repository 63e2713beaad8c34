/** A copy of the example with many more nodes, for tests that need a build long enough to spread or overlap. */
import { exampleProject } from './project.ts';

/** The example with `count` more nodes of every os. */
export function fleet(count: number, edits: Record<string, string | ((text: string) => string)> = {}): string {
  const oses = ['cloud-init', 'flatcar', 'fcos'];
  const docs = Array.from({ length: count }, (_, i) =>
    [
      'apiVersion: kindling/v1',
      'kind: Node',
      `name: fleet-${i}`,
      `role: ${i % 7 === 0 ? 'control-plane' : 'worker'}`,
      `os: ${oses[i % 3]}`,
      `ip: 10.1.${i >> 8}.${i & 255}`,
      `macs: ['52:54:01:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}']`,
    ].join('\n'),
  );
  return exampleProject({ 'nodes/fleet.yaml': docs.join('\n---\n') + '\n', ...edits });
}
