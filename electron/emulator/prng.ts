/**
 * A small seeded pseudo-random generator (mulberry32), so the same seed always yields the same tenant.
 * Not for anything secret: secrets and keys use node:crypto.
 */

/** Deterministic random source. */
export interface Prng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** A GUID-shaped (version 4 layout) identifier. */
  guid(): string;
}

const HEX = '0123456789abcdef';

/** Creates a generator from a 32-bit seed. */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0 || 0x9e3779b9;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T,
    chance: (p) => next() < p,
    guid: () => {
      // Built from a char array: appending char by char would leave a deep rope (~1 KB) behind every id.
      const chars: string[] = [];
      for (let i = 0; i < 32; i++) {
        let nibble = int(0, 15);
        if (i === 12) nibble = 4;
        if (i === 16) nibble = 8 | (nibble & 3);
        chars.push(HEX[nibble] as string);
        if (i === 7 || i === 11 || i === 15 || i === 19) chars.push('-');
      }
      return chars.join('');
    },
  };
}
