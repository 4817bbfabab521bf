/**
 * Seeded pseudo-random numbers. Every random matrix in the project comes from here so that a
 * seed fully determines a run (Math.random is never used for anything that reaches a result).
 */
import { type Matrix, zeros } from './matrix.js';

export interface Rng {
  /** uniform on [0, 1), 53 random bits */
  uniform(): number;
  /** standard normal N(0, 1) */
  normal(): number;
}

/**
 * mulberry32 (a small, well-mixed 32-bit generator) for the bits, Box-Muller for normals.
 * Two 32-bit draws make one 53-bit uniform so that doubles are not restricted to a 2^-32 grid.
 */
export function createRng(seed: number): Rng {
  // Scramble the seed once so that nearby seeds (1, 2, 3, ...) start far apart.
  let state = (Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  const next32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const uniform = (): number => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;

  // Box-Muller yields normals in pairs; keep the second one for the next call.
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = uniform();
    while (u === 0) u = uniform(); // log(0) would be -Infinity
    const v = uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
  return { uniform, normal };
}

/** (rows, cols) matrix of i.i.d. N(0, scale^2) entries, determined by the seed. */
export function gaussianMatrix(rows: number, cols: number, seed: number, scale = 1): Matrix {
  const rng = createRng(seed);
  const m = zeros(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = scale * rng.normal();
  return m;
}
