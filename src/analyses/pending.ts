/**
 * Analyses that need trained models. They are declared now so that every claim of the papers can be
 * catalogued against the measurement that will regenerate it; until the model zoo lands, claims that
 * use them are `pending` with the reason below.
 */
import type { AnalysisDef } from './types.js';

const ZOO = 'the model zoo and probes (trained transformers through onnxruntime-node)';
const V1 = `the trained V1 model from ${ZOO}`;
const CT_SFT = `the CT+SFT and V1 models from ${ZOO}`;
const INITS = `the 100-step init variants of Papers 57/57b from ${ZOO}`;

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
    name: 'qkv-norms',
    description: 'Frobenius norms of Q, K, V per layer and the ratio ||V||/||Q||',
    outputs: {
      normQ: 'per layer (array)',
      normK: 'per layer (array)',
      normV: 'per layer (array)',
      ratioVQ: 'per layer (array)',
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
    name: 'attention-bilinear-asymmetry',
    description:
      'M = W_Q^T W_K per layer: ||M - M^T||/||M||, ||M_A||/||M||, real eigenvalue mass, PR of M_A, spectral cosine between singular values of M_A and of the projected corpus asymmetry A_proj',
    outputs: {
      skewRatio: '||M - M^T||_F / ||M||_F per layer (array)',
      antisymmetricShare: '||M_A||_F / ||M||_F per layer (array)',
      meanAntisymmetricShare: 'mean over layers',
      realEigenvalueMass: 'sum |Re lambda| / sum |lambda| per layer (array)',
      antisymmetricPR: 'participation ratio of M_A per layer (array)',
      meanAntisymmetricPR: 'mean over layers',
      spectralCosine: 'cosine between singular-value vectors of A_proj and M_A per layer (array)',
    },
    nullControl: 'i.i.d. Gaussian W_Q, W_K of the same shape and norm (||W-W^T||/||W|| = sqrt 2 there)',
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
    name: 'probe-losses',
    description: 'validation loss and perplexity of a model of the zoo (params.model: random-init, ct-init, ct-sft, v1)',
    outputs: { loss: 'mean cross-entropy (nats)', perplexity: 'exp(loss)', gapPercent: 'perplexity gap CT+SFT vs V1, percent', gap: 'the same gap as a fraction: ppl(CT+SFT) / ppl(V1) - 1' },
    nullControl: 'ln(vocab) for a uniform predictor',
    waitsFor: `${ZOO}`,
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
    name: 'init-variant-losses',
    description:
      'loss at step 0 and after params.steps steps for each attention init (params.init: random, asymmetry-injection, direct-t1, pr-matched-blend, trained-oracle), identical batches in identical order',
    outputs: {
      initialLoss: 'loss before training',
      loss: 'loss after params.steps steps',
      changeVsRandom: 'relative change of the loss after params.steps steps against random init, (loss - random) / random, as a fraction (a printed -2.8% is -0.028)',
      meanBlendTrainedCosine: 'mean over layers of blendTrainedCosine',
      blendTrainedCosine: 'cosine between blend init and trained attention per layer (array)',
    },
    waitsFor: INITS,
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
    waitsFor: `the CT-init model (crystallized embeddings plus random-spectral attention) from ${ZOO}`,
  },
];
