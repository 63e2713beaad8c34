/**
 * Runs one kindling CLI invocation in this process and prints its wall time and peak RSS as JSON
 * on the last line of stderr. Used by bench/fleet.ts (one child process per measurement, so each
 * figure includes start-up, as a user would see it).
 */
import { main } from '../src/cli/main.ts';

const started = process.hrtime.bigint();
const code = await main(process.argv.slice(2), { stdout: () => {}, stderr: () => {}, color: false });
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
process.stderr.write(`${JSON.stringify({ code, wallMs, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
process.exitCode = code;
