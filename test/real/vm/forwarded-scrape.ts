/**
 * A real Prometheus scraping a booted VM from the host: kindling's own scrape configuration
 * (out/<cluster>/monitoring/prometheus-scrape.yml, with its rule file beside it) narrowed to the one
 * booted node, whose target becomes the 127.0.0.1 port qemu forwards to the node's metrics port
 * (`hostfwd`). The guest report holds the VM up (guest/kindling-vm-report, `kindling.vm.hold=`)
 * and obeys the body of a URL on the test server, so the host decides when flanneld stops.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import type { StaticServer } from '../harness/http-server.ts';
import { freePort, startPrometheus, type Sample } from '../harness/prometheus.ts';
import { GUEST_MIRROR } from './guestfwd-relay.ts';

interface StaticConfig {
  targets: string[];
  labels: Record<string, string>;
}
interface ScrapeFile {
  scrape_configs: { job_name: string; scrape_interval?: string; scrape_timeout?: string; static_configs: StaticConfig[] }[];
}

/**
 * Intervals for a guest under TCG: one scrape starts a dozen processes there, which can take more
 * than 8 s while another guest shares the machine; the timeout stays under the connection service's
 * RuntimeMaxSec (15 s). Rules are evaluated every minute by default.
 */
const SCRAPE_SECONDS = 15;
const SCRAPE_TIMEOUT_SECONDS = 14;

export interface ForwardedScrape {
  /** The -netdev extra for userNetdev: `hostfwd=tcp:127.0.0.1:<port>-:<node's metrics port>`. */
  readonly hostfwd: string;
  /** The kernel argument that makes the guest report hold and poll its orders. */
  readonly holdArgument: string;
  /** Runs alongside the boot: flannel_ready 1, then stop flanneld, then 0; always lets the guest power off. */
  observe(bootEnded: () => boolean): Promise<ForwardedScrapeResult>;
}

export interface ForwardedScrapeResult {
  readonly ready?: Sample;
  readonly notReady?: Sample;
  readonly error?: string;
  /** How long the guest was held up for the scrapes, ms (from flannel_ready 1 to the poweroff order). */
  readonly heldMs?: number;
}

/** kindling's scrape file for `node` only, its target rewritten; returns the node's port in the guest. */
function narrowScrapeConfig(monitoringDir: string, node: string, hostPort: number): { file: string; guestPort: number } {
  const config = load(readFileSync(join(monitoringDir, 'prometheus-scrape.yml'), 'utf8')) as ScrapeFile;
  const job = config.scrape_configs.find((j) => j.job_name === 'flannel');
  const entry = job?.static_configs.find((c) => c.labels.node === node);
  if (!job || !entry || entry.targets.length !== 1) throw new Error(`kindling's scrape configuration has no single target for ${node}`);
  const guestPort = Number(/:(\d+)$/.exec(entry.targets[0]!)?.[1]);
  // The other nodes are not booted, and nothing but 127.0.0.1 may be scraped from here.
  job.static_configs = [{ ...entry, targets: [`127.0.0.1:${hostPort}`] }];
  job.scrape_interval = `${SCRAPE_SECONDS}s`;
  job.scrape_timeout = `${SCRAPE_TIMEOUT_SECONDS}s`;
  const file = join(monitoringDir, 'prometheus-vm.yml');
  writeFileSync(file, dump({ global: { evaluation_interval: `${SCRAPE_SECONDS}s` }, ...config }, { lineWidth: -1 }));
  return { file, guestPort };
}

/** Prepares the scrape of `node` (built into `monitoringDir`'s cluster) through a forwarded port. */
export async function forwardedScrape(server: StaticServer, monitoringDir: string, node: string, dataDir: string): Promise<ForwardedScrape> {
  const hostPort = await freePort();
  const { file, guestPort } = narrowScrapeConfig(monitoringDir, node, hostPort);
  const holdPath = `/kindling-vm/hold/${node}`;
  server.set(holdPath, 'hold');

  async function observe(bootEnded: () => boolean): Promise<ForwardedScrapeResult> {
    const up = () => !bootEnded();
    // Prometheus starts once the guest first asks for its orders (its checks done): every scrape
    // during first boot would start a metrics service under TCG and slow the boot down.
    while (up() && !server.requests.some((r) => r.path === holdPath)) await new Promise((r) => setTimeout(r, 500));
    if (!up()) return { error: 'the guest ended before it asked for its hold orders' };
    mkdirSync(dataDir, { recursive: true });
    const prometheus = await startPrometheus(file, dataDir);
    let ready: Sample | undefined;
    let readyAt = 0;
    try {
      ready = await prometheus.waitFor(`flannel_ready{node="${node}"}`, '1', 60, up);
      readyAt = Date.now();
      server.set(holdPath, 'stop-flanneld');
      const notReady = await prometheus.waitFor(`flannel_ready{node="${node}"}`, '0', 4 * SCRAPE_SECONDS, up);
      return { ready, notReady, heldMs: Date.now() - readyAt };
    } catch (error) {
      return { ...(ready ? { ready } : {}), error: error instanceof Error ? error.message : String(error) };
    } finally {
      server.set(holdPath, 'poweroff');
      prometheus.stop();
    }
  }

  return {
    hostfwd: `hostfwd=tcp:127.0.0.1:${hostPort}-:${guestPort}`,
    holdArgument: `kindling.vm.hold=${GUEST_MIRROR}${holdPath}`,
    observe,
  };
}
