// Runs one kindling CLI invocation as bin/kindling.js does (the bundle with its code cache, and the
// command's V8 flags) and prints its wall time and peak RSS as JSON on the last line of stderr.
// Used by bench/fleet.ts.
import { loadCli } from '../bin/load-cli.js';
import { setV8FlagsFor } from '../bin/v8-flags.js';

const started = process.hrtime.bigint();
const argv = process.argv.slice(2);
setV8FlagsFor(argv);
const code = await loadCli().main(argv, { stdout: () => {}, stderr: () => {}, color: false });
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
const usage = process.resourceUsage();
process.stderr.write(`${JSON.stringify({ code, wallMs, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKiB: usage.maxRSS })}\n`);
process.exitCode = code;
