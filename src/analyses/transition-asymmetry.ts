import { defineAnalysis } from './params.js';
import { nullControl } from './null-control.js';
import type { SparseMatrix } from '../corpus/types.js';
import { transitionAsymmetry } from './declarations.js';
import { antisymmetricNormSparse, frobeniusNormSparse, activeBlock } from '../corpus/index.js';
import { createRng } from '../linalg/index.js';
import type { Matrix } from '../linalg/index.js';

function ratio(m: SparseMatrix): number {
  return antisymmetricNormSparse(m) / frobeniusNormSparse(m);
}

/** ||(M - M^T)/2||_F / ||M||_F for a dense square matrix. */
function denseRatio(m: Matrix): number {
  const n = m.rows;
  let anti = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = m.data[i * n + j];
      const d = (a - m.data[j * n + i]) / 2;
      anti += d * d;
      total += a * a;
    }
  }
  return Math.sqrt(anti / total);
}

/**
 * Null control: keep where T has entries, replace their values by i.i.d. Gaussians. When a pair
 * (i, j), (j, i) is rarely filled on both sides, the ratio is near 1/sqrt 2 whatever the values,
 * so this tells how much of the asymmetry is the sparsity pattern rather than the statistics.
 */
function withGaussianValues(m: SparseMatrix, seed: number): SparseMatrix {
  const rng = createRng(seed);
  const values = new Float64Array(m.values.length);
  for (let k = 0; k < values.length; k++) values[k] = rng.normal();
  return { ...m, values };
}

export const transitionAsymmetryAnalysis = defineAnalysis({
  ...transitionAsymmetry,
  async run(ctx) {
    const stats = await ctx.statistics();
    const t = stats.transition;
    const outputs = { asymmetryRatio: ratio(t), activeAsymmetryRatio: denseRatio(activeBlock(t, stats.active)) };
    const nulls = nullControl(ctx, transitionAsymmetry.name, (draw) => {
      const shuffled = withGaussianValues(t, draw.seed('values'));
      return { asymmetryRatio: ratio(shuffled), activeAsymmetryRatio: denseRatio(activeBlock(shuffled, stats.active)) };
    });
    return {
      outputs,
      nulls,
      nullDescription: `i.i.d. Gaussian values on the sparsity pattern of T, ${ctx.profile.nullSeeds} seeds`,
    };
  },
});
