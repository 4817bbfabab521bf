/**
 * A small seeded random number generator for model initialization, so that (config, seed) fully
 * determines every initial weight on every machine. Each parameter draws from its own stream,
 * keyed by (seed, parameter name): replacing one parameter (say, crystallized embeddings instead
 * of random ones) leaves every other parameter's initial values unchanged. The generator itself is
 * the project's one seeded RNG, createRng in src/linalg/random.ts, started at streamKey(seed, name).
 */

/** FNV-1a hash of a string, mixed with a seed: a 32-bit stream key. */
export function streamKey(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
