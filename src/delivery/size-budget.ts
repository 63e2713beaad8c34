/**
 * Platform size budgets for a node's first-boot payload, and the remedies (pure).
 *
 * | platform  | limit         | counted on            |
 * |-----------|---------------|-----------------------|
 * | aws       | 16,384 B      | raw, before base64    |
 * | azure     | 65,535 B      | raw (decoded)         |
 * | openstack | 65,535 B      | after base64 (Nova)   |
 * | gcp       | 262,144 B     | one metadata value    |
 * | vmware    | 524,288 B     | guestinfo userdata    |
 * | metal, qemu | none        |                       |
 *
 * Over budget, cloud-init user-data is gzip-compressed (cloud-init detects gzip magic and
 * decompresses) and re-checked; Ignition, which has no gzip form for a whole config, is replaced by
 * a pointer config that `replace`s itself with the full config fetched from publishURL and checked
 * against its sha512. Otherwise the build fails with `size/over-budget`.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { ResolvedNode } from '../resolve/project-model.ts';
import type { Platform } from '../validate/profile-types.ts';
import { validateIgnition } from '../ignition/validate.ts';
import { nodeConfigBase } from '../render/pxe/kernel-args.ts';

interface Budget {
  readonly limit: number;
  readonly counted: 'raw' | 'base64';
}

export const PLATFORM_BUDGETS: Readonly<Partial<Record<Platform, Budget>>> = {
  aws: { limit: 16_384, counted: 'raw' },
  azure: { limit: 65_535, counted: 'raw' },
  openstack: { limit: 65_535, counted: 'base64' },
  gcp: { limit: 262_144, counted: 'raw' },
  vmware: { limit: 524_288, counted: 'raw' },
};

/** The size the platform counts: raw bytes, or the length of their base64 text. */
export function countedSize(bytes: number, budget: Budget): number {
  return budget.counted === 'base64' ? 4 * Math.ceil(bytes / 3) : bytes;
}

export type DeliveredForm = 'as-is' | 'gzip' | 'pointer';

export interface BudgetInput {
  readonly node: Pick<ResolvedNode, 'name' | 'platform' | 'origin'>;
  readonly kind: 'user-data' | 'ignition';
  readonly payload: string | Uint8Array;
  /** The cluster's delivery.publishURL: where out/<cluster>/ is served, so a pointer can reach config.ign. */
  readonly publishURL?: string;
}

export interface BudgetResult {
  /** What to hand the platform; absent when nothing fits. */
  readonly delivered?: { readonly form: DeliveredForm; readonly data: Uint8Array; readonly size: number };
  readonly budget?: Budget;
  readonly diagnostics: Diagnostic[];
}

/**
 * gzip with fixed header bytes: Node writes mtime 0, but the OS byte depends on the platform zlib
 * was built for, so it is pinned to 3 (Unix) for identical bytes everywhere.
 */
export function deterministicGzip(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(gzipSync(data, { level: 9 }));
  out[9] = 3;
  return out;
}

/** A spec 3.3.0 config that replaces itself with the full config at `url`, verified by sha512. */
function pointerConfig(url: string, full: Uint8Array): string {
  const hash = createHash('sha512').update(full).digest('hex');
  // Key order as Ignition's Go structs marshal (config before version), like butane's output.
  return JSON.stringify({ ignition: { config: { replace: { source: url, verification: { hash: `sha512-${hash}` } } }, version: '3.3.0' } });
}

const fmt = (n: number): string => n.toLocaleString('en-US');

export function checkBudget(input: BudgetInput): BudgetResult {
  const { node, kind } = input;
  const raw = typeof input.payload === 'string' ? new Uint8Array(Buffer.from(input.payload, 'utf8')) : input.payload;
  const budget = PLATFORM_BUDGETS[node.platform];
  if (!budget) return { delivered: { form: 'as-is', data: raw, size: raw.byteLength }, diagnostics: [] };
  const fits = (data: Uint8Array): boolean => countedSize(data.byteLength, budget) <= budget.limit;
  if (fits(raw)) return { delivered: { form: 'as-is', data: raw, size: raw.byteLength }, budget, diagnostics: [] };

  const what = kind === 'user-data' ? 'user-data' : 'Ignition config';
  const measured = `${fmt(countedSize(raw.byteLength, budget))} B${budget.counted === 'base64' ? ' as base64' : ''}`;
  const over = (message: string, hint: string): BudgetResult => ({
    budget,
    diagnostics: [{ code: 'size/over-budget', severity: 'error', message, hint, location: node.origin }],
  });

  if (kind === 'user-data') {
    const gz = deterministicGzip(raw);
    if (fits(gz)) return { delivered: { form: 'gzip', data: gz, size: gz.byteLength }, budget, diagnostics: [] };
    return over(
      `the ${what} of node '${node.name}' is ${measured} and still ${fmt(countedSize(gz.byteLength, budget))} B gzip-compressed; ${node.platform} allows ${fmt(budget.limit)} B`,
      'move large files out of the profile (fetch them by url with a sha512), or deliver the node with its NoCloud seed.iso instead of the platform user-data field',
    );
  }
  if (input.publishURL === undefined) {
    return over(
      `the ${what} of node '${node.name}' is ${measured}; ${node.platform} allows ${fmt(budget.limit)} B`,
      'set delivery.publishURL and publish out/<cluster>/: kindling then hands the platform a small pointer config (ignition.config.replace with the full config URL and its sha512)',
    );
  }
  const pointer = new Uint8Array(Buffer.from(pointerConfig(`${nodeConfigBase(input.publishURL, node.name)}config.ign`, raw), 'utf8'));
  const issues = validateIgnition(JSON.parse(Buffer.from(pointer).toString('utf8')), '3.3.0').filter((i) => i.severity === 'error');
  if (issues.length || !fits(pointer)) {
    return over(
      `the pointer config for node '${node.name}' is not usable (${issues.map((i) => i.message).join('; ') || `${fmt(pointer.byteLength)} B`})`,
      'shorten delivery.publishURL',
    );
  }
  return { delivered: { form: 'pointer', data: pointer, size: pointer.byteLength }, budget, diagnostics: [] };
}
