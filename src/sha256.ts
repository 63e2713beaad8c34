/**
 * SHA-256 as lower-case hex, through Node's one-shot `crypto.hash` (Node ≥ 20.12; package.json asks
 * for 20.19): it skips making a Hash object, measurably cheaper over the tens of thousands of files
 * of a fleet.
 */
import { hash } from 'node:crypto';

export function sha256Hex(data: Uint8Array): string {
  return hash('sha256', data, 'hex');
}
