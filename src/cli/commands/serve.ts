/**
 * `kindling serve [DIR]`: serves one output and its boot assets over HTTP until Ctrl-C, for labs
 * and tests. The server is the library's (serve/serve-output.ts); this file parses the options,
 * prints where it listens and the access log, and stops on SIGINT or SIGTERM.
 */
import { Command } from '@commander-js/extra-typings';
import { displayPath } from '../../io/display-path.ts';
import { DEFAULT_LISTEN, isLoopback, parseListenAddress, urlAuthority } from '../../serve/listen-address.ts';
import { ServeError } from '../../serve/serve-error.ts';
import { serveOutput } from '../../serve/serve-output.ts';
import type { Io } from '../report.ts';

/** Resolves on the first SIGINT or SIGTERM, which then no longer kill the process. */
function stopRequested(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function serveCommand(io: Io, setExit: (code: number) => void) {
  const defaultListen = urlAuthority(DEFAULT_LISTEN.host, DEFAULT_LISTEN.port);
  return new Command('serve')
    .summary('serve an output and its boot assets over HTTP, for labs and tests')
    .description(
      'Serve out/<cluster>/ read-only over HTTP (GET and HEAD, byte ranges, the content types boot programs expect) at the path of ' +
        "the cluster's publishURL (/ without one), and the boot-asset folder under assets/ beside it, until Ctrl-C. Each request is logged on stderr " +
        'with the node it belongs to. For labs and tests: a site publishes the same static tree with a web server such as nginx. ' +
        `It listens on ${defaultListen}: only this machine can connect unless --listen names another address, ` +
        'and then everyone who reaches that address can fetch every node config, credentials included.',
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  kindling serve                              # out/<the one cluster>/ at http://127.0.0.1:8080/\n' +
        '  kindling serve out --cluster lab --listen 10.0.0.1:8080\n' +
        '  kindling serve --listen 127.0.0.1:0         # a free port; the URL is printed',
    )
    .argument('[dir]', 'the output root `kindling build` wrote, or one cluster folder in it', 'out')
    .option('--listen <addr:port>', `where to listen (an IP address; :PORT keeps loopback; port 0 picks a free port)`, defaultListen)
    .option('--cluster <name>', 'which cluster, when the output root holds several')
    .option('--assets <dir>', 'the boot-asset folder served under assets/ (default: <cluster>-assets/ beside the output, if it exists)')
    .action(async (dir, options) => {
      const listen = parseListenAddress(options.listen);
      if (typeof listen === 'string') {
        io.stderr(`kindling serve: ${listen}\n(see kindling serve --help)\n`);
        setExit(2);
        return;
      }
      let server;
      try {
        server = await serveOutput({
          root: dir,
          ...(options.cluster !== undefined ? { cluster: options.cluster } : {}),
          ...(options.assets !== undefined ? { assets: options.assets } : {}),
          listen,
          log: (line) => io.stderr(`${line}\n`),
        });
      } catch (error) {
        if (!(error instanceof ServeError)) throw error;
        io.stderr(`kindling serve: ${error.message}\n${error.hint !== undefined ? `  hint: ${error.hint}\n` : ''}`);
        setExit(1);
        return;
      }
      const stopped = stopRequested();
      io.stdout(`serving ${displayPath(server.output.clusterDir)} at ${server.url}\n`);
      if (server.output.assetsDir !== undefined) io.stdout(`boot assets from ${displayPath(server.output.assetsDir)} at ${server.assetsUrl}\n`);
      if (!isLoopback(listen.host)) {
        io.stderr(`kindling serve: listening on ${listen.host}: every machine that reaches it can fetch the node configs and the credentials in them\n`);
      }
      await stopped;
      await server.close();
      setExit(0);
    });
}
