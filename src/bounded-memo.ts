/**
 * A pure function of a string, remembered. A fleet asks the same few questions thousands of times
 * (the same data URL, the same unit text on every node); the table is emptied whenever it reaches
 * `limit` entries, which keeps memory bounded without the bookkeeping of an LRU.
 */
export function boundedMemo<T>(limit: number, compute: (key: string) => T): (key: string) => T {
  const table = new Map<string, T>();
  return (key) => {
    if (table.has(key)) return table.get(key) as T;
    const value = compute(key);
    if (table.size >= limit) table.clear();
    table.set(key, value);
    return value;
  };
}
