import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Dead code does not come back: knip (configured in knip.jsonc) walks the imports from the entry
 * points and reports files nothing reaches, exports nothing imports and dependencies nothing uses.
 * In production mode test files are not entries, so an export that only tests import is reported
 * too. The same checks as `npm run lint:unused`.
 */
const REPO = join(import.meta.dirname, '..');
/** Installed by `npm ci` with the other devDependencies: the check needs no network. */
const KNIP = join(REPO, 'node_modules/knip/bin/knip.js');

function knip(...args: string[]): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [KNIP, '--no-progress', '--reporter', 'compact', ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('unused code', () => {
  it('finds no export that only tests import, and no unused file, export or dependency in production code', () => {
    const run = knip('--production');
    expect(run.output, 'knip --production found unused code').toBe('');
    expect(run.status).toBe(0);
  });

  it('finds no unused file or export among the tests and their helpers either', () => {
    const run = knip();
    expect(run.output, 'knip found unused code').toBe('');
    expect(run.status).toBe(0);
  });
});
