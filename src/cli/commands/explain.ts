/** `kindling explain PATH`: documentation of a profile field, from the profile schema (schemas/profile.schema.json). */
import { Command, Option } from '@commander-js/extra-typings';
import { readFileSync } from 'node:fs';
import { explainPath, formatExplanation, type ProfileSchema } from '../schema-explain.ts';
import type { Io } from '../report.ts';

/** The schema beside the sources: the same relative place under src/, dist/ and the CLI bundle's mirror of src/. */
const SCHEMA_URL = new URL('../../../schemas/profile.schema.json', import.meta.url);

export function explainCommand(io: Io, setExit: (code: number) => void) {
  return new Command('explain')
    .summary("describe a profile field: its type, default, allowed values and fields")
    .description(
      'Describe a field of the profile language from its schema: type, whether it is required, default, allowed values, ' +
        'bounds, description, and the fields below it. PATH starts with the document kind (cluster, role or node) and ' +
        'names fields with dots; lists are looked through to their items (role.files.path).',
    )
    .addHelpText('after', '\nExamples:\n  kindling explain node.network\n  kindling explain cluster.flannel.backend.type\n  kindling explain role.files.contents')
    .argument('<path>', 'kind.field.field…, e.g. node.network')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((path, options) => {
      const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as ProfileSchema;
      const result = explainPath(schema, path);
      if ('error' in result) {
        io.stderr(`kindling explain: ${result.error}\n`);
        setExit(1);
        return;
      }
      io.stdout(options.format === 'json' ? `${JSON.stringify(result.explanation, null, 2)}\n` : formatExplanation(result.explanation));
      setExit(0);
    });
}
