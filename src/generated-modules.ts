/**
 * Modules `npm run build` generates into dist/generated (scripts/precompile-schemas.mjs): the JSON
 * Schemas as precompiled validators. They exist beside the compiled code only; running from the
 * TypeScript sources (tests, tsx) finds none and the callers compile the schemas themselves.
 */
import { createRequire } from 'node:module';

const requireFromRoot = createRequire(import.meta.url);

/** dist/generated/<name>, or undefined when there is none. */
export function loadGenerated<T>(name: string): T | undefined {
  try {
    return requireFromRoot(`./generated/${name}`) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}
