/**
 * The corpus-only analyses: everything here runs from the corpus, its statistics and the
 * crystallized embeddings, with no trained model. The `run` functions live beside this file, one
 * per analysis, and are attached in catalog.ts.
 */
import { z } from 'zod';
import { type AnalysisDeclaration, integer, noParams } from './params.js';
import { gaussianFitParams } from './gaussian-fits.js';

export const corpusSummary = {
  name: 'corpus-summary',
  description: 'token counts of the corpus and its statistics window',
  outputs: {
    statTokens: 'tokens feeding the statistics',
    uniqueTokens: 'distinct word types among the statistics tokens',
    vocabSize: 'vocabulary size, unknown token included',
    unknownRate: 'fraction of statistics tokens mapped to the unknown token',
    totalTokens: 'word tokens in the whole corpus',
    validationTokens: 'held-out tokens',
  },
  params: noParams,
} satisfies AnalysisDeclaration;

export const transitionAsymmetry = {
  name: 'transition-asymmetry',
  description: 'how antisymmetric the bigram transition matrix T is: ||A||_F / ||T||_F with A = (T - T^T)/2, over the whole vocabulary and over the active tokens',
  outputs: {
    asymmetryRatio: '||A||_F / ||T||_F over the full vocabulary',
    activeAsymmetryRatio: 'the same over the active-token block',
  },
  nullControl: 'i.i.d. Gaussian values on the same sparsity pattern (1/sqrt 2 for a dense Gaussian matrix)',
  params: noParams,
} satisfies AnalysisDeclaration;

export const projectedTransitionSpectra = {
  name: 'projected-transition-spectra',
  description:
    'T^n projected through the crystallized embeddings, E^T T^n E (n = 1..maxPower, T^n applied to E by repeated sparse products, never formed): participation ratios of its antisymmetric and symmetric parts',
  outputs: {
    antisymmetricPR: 'PR of the singular values of the antisymmetric part of E^T T^n E, n = 1..maxPower (array)',
    symmetricPR: 'PR of the singular values of the symmetric part, n = 1..maxPower (array)',
    projectedAsymmetryRatio: '||A_proj||_F / ||T_proj||_F for n = 1',
    depthFromPR: 'ceil(symmetric PR at n = 1 / 3), the "L_opt" depth formula',
  },
  nullControl: 'the same with an i.i.d. Gaussian E of the same shape and norm',
  params: z.strictObject({
    /** the largest n of T^n (default: the profile's maxTransitionPower) */
    maxPower: integer(1).optional(),
  }),
} satisfies AnalysisDeclaration;

export const embeddingSpectrum = {
  name: 'embedding-spectrum',
  description: 'singular values of the crystallized embedding E (V x d) and the eigenvalues of E^T E',
  outputs: {
    singularValues: 'the 10 largest singular values of E (array)',
    gramEigenvalues: 'the 10 largest eigenvalues of E^T E (array; equal to squared singular values)',
    decayRatio1: 's[1] / s[0]',
    decayRatio9: 's[9] / s[0] (the tenth over the first)',
    gramPR: 'participation ratio of E^T E (over its eigenvalues)',
    embeddingPR: 'participation ratio of E (over its singular values)',
    pairedFraction: 'fraction of the 10 leading eigenvalues of E^T E that sit in a pair with relative gap < 1%',
    energyDims50: 'leading components of E^T E eigenbasis holding 50% of the energy of E',
    energyDims90: 'leading components holding 90% of the energy of E',
    effectiveRank: 'exp(entropy of the normalized singular values of E)',
  },
  nullControl: 'an i.i.d. Gaussian V x d matrix of the same Frobenius norm',
  params: noParams,
} satisfies AnalysisDeclaration;

export const embeddingGaussianFits = {
  name: 'embedding-gaussian-fits',
  description:
    'L1/L2 Gaussian decomposition of the crystallized embedding (Paper 56): params.rows rows sampled uniformly, params.gaussians (N) Gaussians a row fitted by Levenberg-Marquardt (params.init: "even", the default, or "random" initial centers); L2 fits params.l2Gaussians (M) Gaussians to each of the 3N L1 parameter signals across rows',
  outputs: {
    compression: 'cols / 3N',
    l1Params: 'rows x 3N',
    l1Mse: 'mean squared error of the L1 reconstruction over the sampled rows',
    l1R2: 'R^2 of the L1 reconstruction over the sampled rows',
    centersSorted: 'the N fitted centers, sorted, averaged over sampled rows (array)',
    centerSlope: 'slope of the linear fit of sorted centers against k = 0..N-1',
    centerIntercept: 'intercept of that fit',
    centerLinearR2: 'R^2 of that fit',
    centerEvR: 'Pearson r between sorted centers and evenly spaced eigen-positions',
    centerEvP: 'two-sided p-value of centerEvR (n = N)',
    sigmaSpacingR: 'Pearson r between fitted widths and eigenvalue spacing',
    ampSvR: 'Pearson r between |amplitudes| and singular values',
    l2Params: 'L2 parameter count (N x 3 x M x 3)',
    l2Compression: 'original parameters / L2 parameters',
    l2R2: 'R^2 of the full L2 reconstruction of the sampled rows',
  },
  nullControl: 'the same fits on an i.i.d. Gaussian matrix of the same shape and norm',
  params: gaussianFitParams,
} satisfies AnalysisDeclaration;

export const k2Spectrum = {
  name: 'k2-spectrum',
  description: 'leading singular values of the active-token bigram matrix K_2 (top-k of a dense active x active matrix)',
  outputs: {
    singularValues: 'the 32 largest singular values (array)',
    top8Energy: 'share of the total energy (sum of all sigma^2) in the 8 largest',
    top32Energy: 'share of the total energy in the 32 largest',
    effectiveRank: 'exp(entropy) of the normalized leading singular values',
  },
  nullControl: 'an i.i.d. Gaussian matrix of the same shape and norm',
  params: noParams,
} satisfies AnalysisDeclaration;

export const corpusOnlyDeclarations: AnalysisDeclaration[] = [
  corpusSummary,
  transitionAsymmetry,
  projectedTransitionSpectra,
  embeddingSpectrum,
  embeddingGaussianFits,
  k2Spectrum,
];
