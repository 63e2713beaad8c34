/** `kindling versions`: the flanneld, flannel CNI plugin and CNI plugins versions kindling can download without explicit artifacts. */
import { Command, Option } from '@commander-js/extra-typings';
import { formatCatalog, listCatalog } from '../catalog-listing.ts';
import type { Io } from '../report.ts';

export function versionsCommand(io: Io, setExit: (code: number) => void) {
  return new Command('versions')
    .summary('list the flannel, flannel CNI plugin and CNI plugins versions kindling knows, per arch')
    .description(
      "List kindling's release catalog: every version of flanneld, the flannel CNI plugin and the CNI plugins " +
        'that a Cluster profile can name (flannel.version, flannel.cniPlugin.version, flannel.cniPlugins.version) ' +
        'without giving artifact URLs itself, the arches each is released for, and whether upstream publishes ' +
        'checksums for it. With --format json, every artifact URL too.',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((options) => {
      const components = listCatalog();
      if (options.format === 'json') {
        const json = components.map(({ component, setting, versions }) => ({ component, setting, versions }));
        io.stdout(`${JSON.stringify({ components: json }, null, 2)}\n`);
      } else {
        io.stdout(formatCatalog(components));
      }
      setExit(0);
    });
}
