// Runs one kindling CLI invocation (the bundle bin/kindling.js runs, as `npx kindling` does after `npm ci`) and
// prints its wall time and peak RSS as JSON on the last line of stderr. Used by bench/fleet.ts.
const started = process.hrtime.bigint();
const { main } = await import('../bundle/cli.js');
const code = await main(process.argv.slice(2), { stdout: () => {}, stderr: () => {}, color: false });
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
const usage = process.resourceUsage();
process.stderr.write(`${JSON.stringify({ code, wallMs, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKiB: usage.maxRSS })}\n`);
process.exitCode = code;
