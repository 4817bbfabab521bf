/**
 * A small seeded random number generator for model initialization, so that (config, seed) fully
 * determines every initial weight on every machine. Each parameter draws from its own stream,
 * keyed by (seed, parameter name): replacing one parameter (say, crystallized embeddings instead
 * of random ones) leaves every other parameter's initial values unchanged.
 */

export interface SeededRandom {
  /** uniform on [0, 1) with 53 random bits */
  uniform(): number;
  /** standard normal N(0, 1) */
  normal(): number;
}

/** FNV-1a hash of a string, mixed with a seed: a 32-bit stream key. */
export function streamKey(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * xoshiro128** (Blackman and Vigna) for the bits, seeded through splitmix32 so that nearby keys
 * start far apart; Box-Muller for normals.
 */
export function seededRandom(key: number): SeededRandom {
  let x = key >>> 0;
  const splitmix32 = (): number => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = splitmix32();
  let s1 = splitmix32();
  let s2 = splitmix32();
  let s3 = splitmix32();
  const rotl = (v: number, k: number): number => ((v << k) | (v >>> (32 - k))) >>> 0;
  const next32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    s0 >>>= 0;
    s1 >>>= 0;
    s2 >>>= 0;
    return result;
  };
  // 27 + 26 bits make one double on the full 2^-53 grid
  const uniform = (): number => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;

  let spare: number | null = null; // Box-Muller makes normals in pairs
  const normal = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = uniform();
    while (u === 0) u = uniform();
    const angle = 2 * Math.PI * uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
  return { uniform, normal };
}
