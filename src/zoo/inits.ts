/**
 * Initial weights of the zoo's models: the CT init (crystallized token embeddings in a randomly
 * initialized GPT) and the attention inits of Papers 57 and 57b, which start from it. Pure
 * functions of their inputs; the zoo (zoo.ts) caches what is trained from them. How they read the
 * papers is stated for the reports in papers/readings/methods.ts.
 */
import { type GptConfig } from '../model/config.js';
import { INIT_STD, initParameters } from '../model/init.js';
import type { ModelWeights } from '../model/weights.js';
import {
  type Matrix,
  zeros,
  matmulFast,
  frobeniusNorm,
  gaussianMatrix,
  orthonormalize,
  svd,
} from '../linalg/index.js';
import { antisymmetricPart, bilinearForm, matrixPR, symmetricPart, withAttentionMatrix } from './attention.js';

export const INIT_VARIANTS = ['random', 'asymmetry-injection', 'direct-t1', 'pr-matched-blend', 'trained-oracle'] as const;
export type InitVariant = (typeof INIT_VARIANTS)[number];

/** Random init with tok_emb replaced by `embeddings` (V, d) scaled to entries of RMS INIT_STD. */
export function ctInitWeights(config: GptConfig, embeddings: Matrix, seed: number): ModelWeights {
  const { vocabSize: V, dModel: d } = config;
  if (embeddings.rows !== V || embeddings.cols !== d) {
    throw new Error(`CT init: embeddings are ${embeddings.rows}x${embeddings.cols}, the model needs ${V}x${d}`);
  }
  const weights = initParameters(config, seed);
  const rms = frobeniusNorm(embeddings) / Math.sqrt(V * d);
  const scale = rms > 0 ? INIT_STD / rms : 0;
  weights.set('tok_emb.weight', { shape: [V, d], data: Float32Array.from(embeddings.data, (x) => x * scale) });
  return weights;
}

/** A (d, d) orthogonal matrix drawn from the seed (QR of a Gaussian matrix). */
function randomRotation(d: number, seed: number): Matrix {
  return orthonormalize(gaussianMatrix(d, d, seed));
}

/**
 * W_Q, W_K (each (d, d)) with W_Q^T W_K = m: from m = U S V^T, W_Q = R S^1/2 U^T and
 * W_K = R S^1/2 V^T for a random rotation R. (R^T R = I cancels; R spreads the singular
 * directions over all rows, i.e. over all heads, instead of giving head 0 the largest.)
 */
export function factorBilinear(m: Matrix, seed: number): { wq: Matrix; wk: Matrix } {
  const d = m.rows;
  const { U, S, V } = svd(m);
  const rotation = randomRotation(d, seed);
  const scaledT = (basis: Matrix): Matrix => {
    const out = zeros(d, d); // S^1/2 basis^T
    for (let i = 0; i < d; i++) {
      const root = Math.sqrt(S[i]);
      for (let j = 0; j < d; j++) out.data[i * d + j] = root * basis.data[j * d + i];
    }
    return out;
  };
  return { wq: matmulFast(rotation, scaledT(U)), wk: matmulFast(rotation, scaledT(V)) };
}

export interface InjectionDetail {
  /** ||M_A||_F of each layer before the injection (the norm the injected part gets) */
  antisymmetricNorm: number[];
  /** PR of the injected antisymmetric part, per layer */
  injectedPR: number[];
}

/**
 * In every layer, M_A <- ||M_A|| * direction[l] / ||direction[l]||, M_S kept, and W_Q, W_K
 * refactored from the new M. `directions` are (d, d) antisymmetric matrices, one per layer.
 */
export function injectAntisymmetricParts(
  weights: ModelWeights,
  config: GptConfig,
  directions: Matrix[],
  seed: number,
): { weights: ModelWeights; detail: InjectionDetail } {
  let out = weights;
  const detail: InjectionDetail = { antisymmetricNorm: [], injectedPR: [] };
  for (let layer = 0; layer < config.nLayers; layer++) {
    const m = bilinearForm(weights, config, layer); // (d, d)
    const norm = frobeniusNorm(antisymmetricPart(m));
    const direction = directions[layer];
    const scale = norm / frobeniusNorm(direction);
    const injected = symmetricPart(m);
    for (let i = 0; i < injected.data.length; i++) injected.data[i] += scale * direction.data[i];
    const { wq, wk } = factorBilinear(injected, seed + 7919 * (layer + 1));
    out = withAttentionMatrix(out, config, layer, 'q', wq);
    out = withAttentionMatrix(out, config, layer, 'k', wk);
    detail.antisymmetricNorm.push(norm);
    detail.injectedPR.push(matrixPR(direction));
  }
  return { weights: out, detail };
}

export interface Blend {
  /** cos(theta) A_hat + sin(theta) N_hat, unit Frobenius norm (d, d) */
  blend: Matrix;
  theta: number;
  /** PR of the blend (equal to the target when it was reachable) */
  pr: number;
  /** false when the target lies outside the PRs that blends of these two reach */
  reached: boolean;
}

/**
 * The blend of a direction with noise whose PR equals `targetPR`. PR(theta) runs from PR(A_hat)
 * at theta = 0 to PR(N_hat) at pi/2, not necessarily monotonically: a grid of 32 angles finds the
 * first bracket that crosses the target and bisection narrows it. An unreachable target gives the
 * grid angle whose PR is closest.
 */
export function prMatchedBlend(direction: Matrix, noise: Matrix, targetPR: number): Blend {
  const a = unit(direction);
  const n = unit(noise);
  const at = (theta: number): Matrix => {
    const m = zeros(a.rows, a.cols);
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    for (let i = 0; i < m.data.length; i++) m.data[i] = c * a.data[i] + s * n.data[i];
    return unit(m);
  };
  const prAt = (theta: number): number => matrixPR(at(theta));
  const grid = Array.from({ length: 33 }, (_, i) => (i / 32) * (Math.PI / 2));
  const prs = grid.map(prAt);
  for (let i = 0; i + 1 < grid.length; i++) {
    const below = prs[i] - targetPR;
    const above = prs[i + 1] - targetPR;
    if (below === 0) return { blend: at(grid[i]), theta: grid[i], pr: prs[i], reached: true };
    if (below * above < 0) {
      let lo = grid[i];
      let hi = grid[i + 1];
      for (let iteration = 0; iteration < 40; iteration++) {
        const mid = (lo + hi) / 2;
        if ((prAt(mid) - targetPR) * below > 0) lo = mid;
        else hi = mid;
      }
      const theta = (lo + hi) / 2;
      return { blend: at(theta), theta, pr: prAt(theta), reached: true };
    }
  }
  let best = 0;
  for (let i = 1; i < grid.length; i++) if (Math.abs(prs[i] - targetPR) < Math.abs(prs[best] - targetPR)) best = i;
  return { blend: at(grid[best]), theta: grid[best], pr: prs[best], reached: false };
}

function unit(m: Matrix): Matrix {
  const norm = frobeniusNorm(m);
  return { rows: m.rows, cols: m.cols, data: m.data.map((x) => x / norm) };
}

/** The antisymmetric part of an i.i.d. Gaussian (d, d) matrix: the blend's noise. */
export function antisymmetricNoise(d: number, seed: number): Matrix {
  return antisymmetricPart(gaussianMatrix(d, d, seed));
}

/** A copy of `weights` with every layer's attention (attn.c_attn and attn.c_proj) taken from `source`. */
export function withAttentionFrom(weights: ModelWeights, source: ModelWeights, config: GptConfig): ModelWeights {
  const out: ModelWeights = new Map(weights);
  for (let layer = 0; layer < config.nLayers; layer++) {
    for (const part of ['c_attn', 'c_proj']) {
      for (const kind of ['weight', 'bias']) {
        const name = `blocks.${layer}.attn.${part}.${kind}`;
        const tensor = source.get(name);
        if (tensor === undefined) throw new Error(`trained oracle: the source model has no '${name}'`);
        out.set(name, { shape: [...tensor.shape], data: Float32Array.from(tensor.data) });
      }
    }
  }
  return out;
}

export interface VariantInputs {
  /** the CT-init weights every variant starts from */
  base: ModelWeights;
  /** A_proj = E^T A E (d, d), antisymmetric */
  projectedAsymmetry: Matrix;
  /** seed of the rotations and the blend's noise */
  seed: number;
  /** the trained V1 model (pr-matched-blend takes its PR target from it, trained-oracle its attention) */
  trained?: ModelWeights;
}

export interface VariantInit {
  weights: ModelWeights;
  /** numbers describing the init, for the report (e.g. the blend's PR per layer) */
  detail: Record<string, number | number[]>;
  /** per layer, the antisymmetric part that was injected (blend variants), for the cosine probes */
  injected?: Matrix[];
}

/** The initial weights of one init variant. */
export function initVariantWeights(init: InitVariant, config: GptConfig, inputs: VariantInputs): VariantInit {
  const needTrained = (): ModelWeights => {
    if (inputs.trained === undefined) throw new Error(`init variant ${init} needs the trained V1 model`);
    return inputs.trained;
  };
  const layers = Array.from({ length: config.nLayers }, (_, l) => l);
  switch (init) {
    case 'random':
      return { weights: inputs.base, detail: {} };
    case 'asymmetry-injection':
    case 'direct-t1': {
      const directions = layers.map(() => inputs.projectedAsymmetry);
      const { weights, detail } = injectAntisymmetricParts(inputs.base, config, directions, inputs.seed);
      return { weights, detail: { ...detail }, injected: directions };
    }
    case 'pr-matched-blend': {
      const trained = needTrained();
      const trainedPR = layers.map((l) => matrixPR(antisymmetricPart(bilinearForm(trained, config, l))));
      const targetPR = trainedPR.reduce((s, x) => s + x, 0) / trainedPR.length;
      const blends = layers.map((l) =>
        prMatchedBlend(inputs.projectedAsymmetry, antisymmetricNoise(config.dModel, inputs.seed + 104729 * (l + 1)), targetPR),
      );
      const directions = blends.map((b) => b.blend);
      const { weights, detail } = injectAntisymmetricParts(inputs.base, config, directions, inputs.seed);
      return {
        weights,
        detail: {
          ...detail,
          targetPR,
          trainedPR,
          blendPR: blends.map((b) => b.pr),
          blendTheta: blends.map((b) => b.theta),
          targetReachedLayers: blends.filter((b) => b.reached).length,
        },
        injected: directions,
      };
    }
    case 'trained-oracle':
      return { weights: withAttentionFrom(inputs.base, needTrained(), config), detail: {} };
  }
}
