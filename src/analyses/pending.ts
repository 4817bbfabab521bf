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

export const pendingAnalyses: AnalysisDef[] = [
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
];
