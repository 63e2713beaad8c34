#!/usr/bin/env node
// The CLI runs straight from the TypeScript sources through tsx, so `npx kindling` works right
// after `npm ci` with no build step. `npm run build` produces dist/ for library consumers.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
