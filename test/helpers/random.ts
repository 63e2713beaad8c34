/** Deterministic pseudo-random numbers (xorshift32) in [0, 1), so a failing generated case reproduces. */
export function random(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}
