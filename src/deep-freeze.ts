/**
 * Freezes a value all the way down. Objects shared by every node of a fleet (Butane items, their
 * Ignition translations) are frozen so one node can never change them for all, and so checks can
 * remember by identity that a frozen object passed (render/ignition/report.ts checkOnce).
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
