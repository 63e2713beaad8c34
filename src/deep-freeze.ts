/**
 * Freezes a value all the way down. Objects shared by every node of a build (Butane items, their
 * Ignition translations) are frozen so one node can never change them for all; what a check or a
 * serialisation made of one then holds for every node that carries it (BuildContext.share).
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
