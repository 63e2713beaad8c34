// The V8 flags kindling's command line sets for its own process, by command, before it loads any
// code. A build runs each renderer thousands of times from a cold start: V8's optimizing compiler
// then spends a long time on a background thread compiling a few large functions with everything
// inlined, taking a core from the write worker; without inlining that compilation is much cheaper
// and the code hardly slower (bench/README.md has the figures). V8's flags are the whole process's, so the
// library never sets them: its callers own their process.
'use strict';

/** The flags for `kindling <argv>`. */
function v8FlagsFor(argv) {
  return argv[0] === 'build' ? ['--no-turbo-inlining'] : [];
}

/** Sets them; node:v8 is loaded only when there are any, to keep other commands' start short. */
function setV8FlagsFor(argv) {
  const flags = v8FlagsFor(argv);
  if (flags.length === 0) return;
  const { setFlagsFromString } = require('node:v8');
  for (const flag of flags) setFlagsFromString(flag);
}

module.exports = { setV8FlagsFor, v8FlagsFor };
