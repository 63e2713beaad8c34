/**
 * Handlebars rendering for unit files and scripts. `noEscape` because the output is not HTML;
 * `strict` so a misspelt variable is an error, not an empty string. Values are escaped for their
 * destination by helpers (`systemd-arg`, `systemd-env`, `shell-quote`) before they land in text.
 */
import Handlebars from 'handlebars';
import { environmentAssignment, execArg, plainValue } from './systemd-escape.ts';
import { shellQuote } from './shell-quote.ts';
import type { TemplateRenderer } from './node-plan.ts';
import { contextTable, type BuildContext } from '../build/build-context.ts';

// Configured here, once, and never changed after: it compiles, it holds no build's data.
const hbs = Handlebars.create();
hbs.registerHelper('systemd-arg', (value: unknown) => execArg(String(value)));
hbs.registerHelper('systemd-env', (name: unknown, value: unknown) => environmentAssignment(String(name), String(value)));
hbs.registerHelper('systemd-value', (value: unknown) => plainValue(String(value)));
hbs.registerHelper('shell-quote', (value: unknown) => shellQuote(String(value)));
hbs.registerHelper('octal', (value: unknown) => Number(value).toString(8).padStart(4, '0'));

/** Compiled templates by source text, each with a short id for the render cache's keys. */
const COMPILED = contextTable('compiled templates', () => new Map<string, { readonly template: Handlebars.TemplateDelegate; readonly id: number }>());

/**
 * Rendered text by template and context. Most renders of a fleet repeat (every node's fetch script
 * and fetch unit are the same), and a lookup costs far less than a render. Bounded, so a fleet
 * of per-node renders cannot grow it without limit. `undefined` is kept apart from a missing field
 * in the key, since strict mode treats them differently.
 */
const MAX_RENDERS = 4096;
const RENDERED = contextTable('rendered templates', () => new Map<string, string>());
const keepUndefined = (_key: string, value: unknown): unknown => (value === undefined ? '\u0000undefined' : value);

export class TemplateError extends Error {}

/** A renderer over a set of template sources; compiled templates are kept in the build context by their text. */
export function templateRenderer(sources: Readonly<Record<string, string>>, build: BuildContext): TemplateRenderer {
  const compiled = build.table(COMPILED);
  const rendered = build.table(RENDERED);
  return (name, context, options) => {
    const source = sources[name];
    if (source === undefined) throw new TemplateError(`template '${name}' not found`);
    let entry = compiled.get(source);
    if (!entry) {
      entry = { template: hbs.compile(source, { noEscape: true, strict: true }), id: compiled.size };
      compiled.set(source, entry);
    }
    const { template, id } = entry;
    // A render only this node asks for would just push shared ones out of the table.
    const key = options?.perNode === true ? undefined : `${id}\u0000${JSON.stringify(context, keepUndefined)}`;
    const known = key === undefined ? undefined : rendered.get(key);
    if (known !== undefined) return known;
    try {
      const text = template(context);
      if (key !== undefined) {
        if (rendered.size >= MAX_RENDERS) rendered.clear();
        rendered.set(key, text);
      }
      return text;
    } catch (error) {
      throw new TemplateError(`template '${name}': ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  };
}
