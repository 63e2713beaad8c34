/**
 * Handlebars rendering for unit files and scripts. `noEscape` because the output is not HTML;
 * `strict` so a misspelt variable is an error, not an empty string. Values are escaped for their
 * destination by helpers (`systemd-arg`, `systemd-env`, `shell-quote`) before they land in text.
 */
import Handlebars from 'handlebars';
import { environmentAssignment, execArg, plainValue } from './systemd-escape.ts';
import { shellQuote } from './shell-quote.ts';
import type { TemplateRenderer } from './node-plan.ts';

const hbs = Handlebars.create();
hbs.registerHelper('systemd-arg', (value: unknown) => execArg(String(value)));
hbs.registerHelper('systemd-env', (name: unknown, value: unknown) => environmentAssignment(String(name), String(value)));
hbs.registerHelper('systemd-value', (value: unknown) => plainValue(String(value)));
hbs.registerHelper('shell-quote', (value: unknown) => shellQuote(String(value)));
hbs.registerHelper('octal', (value: unknown) => Number(value).toString(8).padStart(4, '0'));

const compiled = new Map<string, Handlebars.TemplateDelegate>();

export class TemplateError extends Error {}

/** A renderer over a set of template sources; compiled templates are cached by their text. */
export function templateRenderer(sources: Readonly<Record<string, string>>): TemplateRenderer {
  return (name, context) => {
    const source = sources[name];
    if (source === undefined) throw new TemplateError(`template '${name}' not found`);
    let template = compiled.get(source);
    if (!template) {
      template = hbs.compile(source, { noEscape: true, strict: true });
      compiled.set(source, template);
    }
    try {
      return template(context);
    } catch (error) {
      throw new TemplateError(`template '${name}': ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  };
}
