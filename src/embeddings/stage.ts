/** The crystallized-embeddings stage: E (V, d) from the corpus statistics alone, cached on disk. */
import { z } from 'zod';
import { defineStage, call } from '../stages/index.js';
import { statisticsStage } from '../corpus/stage.js';
import { crystallize } from './crystallize.js';
import type { CrystallizedEmbeddings } from './types.js';

const EmbeddingsParams = z.object({ statistics: statisticsStage.params, dModel: z.number().int().positive(), seed: z.number().int() }).strict();
export type EmbeddingsParams = z.infer<typeof EmbeddingsParams>;

export const embeddingsStage = defineStage({
  name: 'embeddings',
  module: import.meta.url,
  params: EmbeddingsParams,
  inputs: (p) => ({ statistics: call(statisticsStage, p.statistics) }),
  persist: 'disk',
  label: () => 'crystallized embeddings',
  async run(p, inputs, { progress }): Promise<CrystallizedEmbeddings> {
    return crystallize(await inputs.statistics(), { dModel: p.dModel, seed: p.seed }, progress);
  },
});
