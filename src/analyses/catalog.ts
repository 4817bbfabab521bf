/** Every analysis a paper spec may name, by name. */
import type { AnalysisDef } from './types.js';
import { corpusSummaryAnalysis } from './corpus-summary.js';
import { transitionAsymmetryAnalysis } from './transition-asymmetry.js';
import { projectedTransitionSpectraAnalysis } from './projected-transition-spectra.js';
import { embeddingSpectrumAnalysis } from './embedding-spectrum.js';
import { embeddingGaussianFitsAnalysis } from './embedding-gaussian-fits.js';
import { k2SpectrumAnalysis } from './k2-spectrum.js';
import { probeLossesAnalysis } from './probe-losses.js';
import { initVariantLossesAnalysis } from './init-variant-losses.js';
import { qkvNormsAnalysis } from './qkv-norms.js';
import { attentionBilinearAsymmetryAnalysis } from './attention-bilinear-asymmetry.js';
import { sftVsV1Analysis } from './sft-vs-v1.js';
import { qkvCorpusCorrelationAnalysis, spectralBandEnergyAnalysis } from './qkv-corpus.js';
import { modelGaussianFitsAnalysis } from './model-gaussian-fits.js';
import { qkLowRankAnalysis, qkSpectralTwinningAnalysis } from './qk-spectra.js';
import { weightFromPrAnalysis } from './weight-from-pr.js';

export const ANALYSES: Map<string, AnalysisDef> = new Map(
  [
    corpusSummaryAnalysis,
    transitionAsymmetryAnalysis,
    projectedTransitionSpectraAnalysis,
    embeddingSpectrumAnalysis,
    embeddingGaussianFitsAnalysis,
    k2SpectrumAnalysis,
    probeLossesAnalysis,
    initVariantLossesAnalysis,
    qkvNormsAnalysis,
    attentionBilinearAsymmetryAnalysis,
    sftVsV1Analysis,
    qkvCorpusCorrelationAnalysis,
    spectralBandEnergyAnalysis,
    modelGaussianFitsAnalysis,
    qkLowRankAnalysis,
    qkSpectralTwinningAnalysis,
    weightFromPrAnalysis,
  ].map((a) => [a.name, a]),
);
