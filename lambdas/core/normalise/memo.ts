/**
 * A pure function of a string, remembered for up to `limit` distinct inputs (the table is cleared when full, so a
 * column of unique values costs one lookup more per call and bounded memory). For low-cardinality columns such as
 * city and state, which ingest normalises once per row: a lookup instead of tokenising the same few names again.
 */
export function memoised<T>(normalise: (text: string) => T, limit = 20_000): (text: string) => T {
  const remembered = new Map<string, T>();
  return (text) => {
    const known = remembered.get(text);
    if (known !== undefined || remembered.has(text)) return known as T;
    if (remembered.size >= limit) remembered.clear();
    const value = normalise(text);
    remembered.set(text, value);
    return value;
  };
}
