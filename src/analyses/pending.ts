/**
 * Analyses of trained models that are declared but not implemented yet. They are declared so that
 * every claim of the papers can be catalogued against the measurement that will regenerate it; the
 * models they need exist (src/zoo, reached through AnalysisContext.zoo()), and until an analysis is
 * written on them, claims that use it are `pending` with the reason below. An implemented analysis
 * moves out of this file into its own (see probe-losses.ts).
 */
import type { AnalysisDef } from './types.js';

const ZOO = 'the model zoo (src/zoo)';
const V1 = `an implementation on the trained V1 model of ${ZOO}`;
const CT_SFT = `an implementation on the CT+SFT and V1 models of ${ZOO}`;

export const pendingAnalyses: AnalysisDef[] = [
  {
    name: 'qkv-corpus-correlation',
    description:
      'Pearson r between each layer\'s Q, K, V (256x256 blocks of c_attn) and projected corpus views E^T K E (K_2, K_2^T, K_3, K_3_skip, E^T E, I, attention-weighted K_2)',
    outputs: {
      meanR: 'mean over layers of r, per (matrix, view) pair selected by params.matrix and params.view',
      meanAbsR: 'mean over layers of |r|, per (matrix, view)',
      maxAbsR: 'largest |r| over layers, per (matrix, view)',
      maxAbsRAll: 'largest |r| over all layers, matrices (Q, K, V) and views',
      meanAbsRAll: 'mean |r| over all layers, matrices (Q, K, V) and views',
      perLayerR: 'r per layer (array, one per layer)',
    },
    nullControl: 'the same correlations for the same architecture at random init',
    waitsFor: V1,
  },
  {
    name: 'spectral-band-energy',
    description: 'share of the Frobenius energy of Q, K, V (projected into the eigenbasis of projected K_2) falling in eigen-bands 0-32, 32-64, 64-128, 128-256',
    outputs: { bandShare: 'energy share per band (array of 4), for params.matrix' },
    nullControl: 'random init of the same architecture; uniform expectation = band width / 256',
    waitsFor: V1,
  },
  {
    name: 'qk-spectral-twinning',
    description: 'KL divergences between normalized singular-value profiles of Q, K, V and the Marchenko-Pastur reference, per layer',
    outputs: {
      klQK: 'KL(Q||K) per layer (array)',
      klQV: 'KL(Q||V) per layer (array)',
      klQMP: 'KL(Q||MP) per layer (array)',
      klKMP: 'KL(K||MP) per layer (array)',
      klVMP: 'KL(V||MP) per layer (array)',
      qkMutualRatio: 'mean of KL(Q||MP) and KL(K||MP) over KL(Q||K), per layer (array): how many times smaller the Q-K divergence is than their deviation from MP',
    },
    nullControl: 'random init of the same architecture',
    waitsFor: V1,
  },
  {
    name: 'qk-low-rank',
    description: 'spectrum of Q K^T per layer: effective rank and top-8 / top-32 energy',
    outputs: {
      effectiveRank: 'per layer (array)',
      top8Energy: 'fraction, per layer (array)',
      top32Energy: 'fraction, per layer (array)',
      meanEffectiveRank: 'mean over layers',
      meanTop8Energy: 'mean over layers',
      meanTop32Energy: 'mean over layers',
    },
    nullControl: 'random init of the same architecture; i.i.d. Gaussian Q, K of the same shape and norm',
    waitsFor: V1,
  },
  {
    name: 'sft-vs-v1',
    description: 'CT+SFT against V1 and against CT init: drift of Q and V, correlation of weights between the two solutions, per-matrix RMS drift, relative drift and cosine',
    outputs: {
      driftQ: 'relative SFT drift of Q per layer (array)',
      driftV: 'relative SFT drift of V per layer (array)',
      corrQ: 'r(SFT_Q, V1_Q) per layer (array)',
      corrV: 'r(SFT_V, V1_V) per layer (array)',
      meanAbsCorrQ: 'mean |r| over layers',
      meanAbsCorrV: 'mean |r| over layers',
      driftRatioVQ: 'driftV / driftQ per layer (array)',
      rmsDrift: 'RMS drift CT init -> CT+SFT for params.matrix',
      relativeDrift: 'relative drift for params.matrix',
      cosine: 'cosine CT init vs CT+SFT for params.matrix',
    },
    waitsFor: CT_SFT,
  },
  {
    name: 'weight-from-pr',
    description:
      'how much of the trained weights a corpus basis explains: R^2 of the optimal linear projection onto K corpus eigenvectors, of direct prediction and of random; cosine of Q K^T with T_proj per layer; alignment of L0 Q with the leading singular vector of T_proj',
    outputs: {
      linearR2: 'R^2 of the optimal projection onto params.k corpus eigenvectors',
      directR2: 'R^2 of direct corpus prediction',
      randomR2: 'R^2 of a random prediction',
      qkTprojCosine: 'cosine of Q K^T with T_proj per layer (array)',
      q0Alignment: 'alignment of layer-0 Q with the leading singular vector of T_proj',
      trainingShare: '1 - linearR2 at params.k: the share of weight variance the corpus basis leaves to training',
    },
    nullControl: 'the same projection of random-init weights',
    waitsFor: V1,
  },
  {
    name: 'model-gaussian-fits',
    description:
      'Paper 56 L1/L2 Gaussian fits on a weight matrix of a zoo model (params.matrix, params.model, params.init as in embedding-gaussian-fits); params.matrix may name several parameters separated by commas, and then every output is a list with one element per named matrix, in that order',
    outputs: {
      l1Mse: 'mean squared error of the L1 fit',
      l1R2: 'R^2 of the L1 fit',
      centerEvR: 'Pearson r of sorted centers with evenly spaced eigen-positions',
      centerEvP: 'its p-value',
      sigmaSpacingR: 'Pearson r between fitted widths and eigenvalue spacing of E^T E',
      ampSvR: 'Pearson r between |amplitudes| and singular values of E',
      l2R2: 'R^2 of the full L2 reconstruction',
      l2Mse: 'mean squared error of the full L2 reconstruction of the sampled rows',
      energyDims50: 'components of the E^T E eigenbasis (sorted by eigenvalue) holding 50% of the energy of the matrix',
      energyDims90: 'components of the E^T E eigenbasis holding 90% of the energy',
      energyEigenvalueR: 'Pearson r between the energy of the matrix along each eigenvector of E^T E and its eigenvalue',
    },
    nullControl: 'an i.i.d. Gaussian matrix of the same shape and norm',
    waitsFor: `an implementation on the CT-init model (crystallized embeddings plus random-spectral attention) of ${ZOO}`,
  },
];
