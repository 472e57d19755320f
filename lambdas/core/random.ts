/**
 * Seeded pseudo-random numbers (sfc32 seeded through splitmix32), so every sampled quantity in a run is reproducible:
 * the same input and seed give the same model, links and profiles, byte for byte.
 */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, bound). */
  int(bound: number): number;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function seededRandom(seed: number): SeededRandom {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const nextUint = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) nextUint();
  return {
    next: () => nextUint() / 4294967296,
    int: (bound: number) => Math.floor((nextUint() / 4294967296) * bound),
  };
}

const FNV_OFFSET = 0x811c9dc5;

/**
 * 32-bit FNV-1a over `value[start, end)`, continuing from `hash`: fnv1a(b, fnv1a(a)) is the hash of a + b, so a
 * caller hashing a prefix and part of a key never builds the joined string.
 */
export function fnv1a(value: string, hash = FNV_OFFSET, start = 0, end = value.length): number {
  let h = hash;
  for (let i = start; i < end; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A stable 32-bit FNV-1a hash of a string, for partitioning and seeding from names. */
export const hashString = (value: string): number => fnv1a(value);
