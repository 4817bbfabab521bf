import { defineAnalysis } from './params.js';
import { corpusSummary } from './declarations.js';

export const corpusSummaryAnalysis = defineAnalysis({
  ...corpusSummary,
  async run(ctx) {
    const corpus = await ctx.corpus();
    let unknown = 0;
    for (const id of corpus.statIds) if (id === 0) unknown++;
    return {
      outputs: {
        statTokens: corpus.statIds.length,
        uniqueTokens: corpus.uniqueTokens,
        vocabSize: corpus.vocab.length,
        unknownRate: unknown / corpus.statIds.length,
        totalTokens: corpus.totalTokens,
        validationTokens: corpus.validationIds.length,
      },
    };
  },
});
