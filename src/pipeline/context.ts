/**
 * The stage graph of one run up to the analyses: corpus -> statistics -> crystallized embeddings
 * -> model zoo, as calls of the declared stages (src/corpus/stage.ts, src/embeddings/stage.ts,
 * src/zoo/stages.ts) with the profile's params. Only what each stage reads is in its params: a
 * change of training settings does not touch the corpus statistics or the embeddings.
 */
import type { AnalysisContext } from '../analyses/types.js';
import type { Profile } from '../core/profile.js';
import type { ResolvedEp } from '../runtime/execution-providers.js';
import { type ModelZoo, createZoo } from '../zoo/zoo.js';
import { pipelineData } from '../zoo/stages.js';
import type { ImportedModel } from '../zoo/imports.js';
import { corpusStage, statisticsStage } from '../corpus/stage.js';
import { embeddingsStage } from '../embeddings/stage.js';
import { type StageCall, type StageRunner, call } from '../stages/index.js';
import { progressBar } from './progress.js';

export interface StageContext extends AnalysisContext {
  runner: StageRunner;
  /** the data stages every analysis may read */
  dataCalls: StageCall[];
}

export interface ContextOptions {
  /** the execution provider of every model stage (default: the CPU) */
  ep?: ResolvedEp;
  /** users' checkpoints in place of zoo models (`--model NAME=PATH`) */
  imported?: readonly ImportedModel[];
}

const CPU: ResolvedEp = { requested: 'cpu', ep: 'cpu', reason: 'cpu' };

export function createContext(profile: Profile, corpusSource: string, runner: StageRunner, options: ContextOptions = {}): StageContext {
  const { vocabSize, statTokens, validationTokens, activeTokens, dModel, seed } = profile;
  const corpusParams = { source: corpusSource, vocabSize, statTokens, validationTokens };
  const statisticsParams = { corpus: corpusParams, activeTokens };
  const embeddingsParams = { statistics: statisticsParams, dModel, seed };
  const corpus = call(corpusStage, corpusParams);
  const statistics = call(statisticsStage, statisticsParams);
  const embeddings = call(embeddingsStage, embeddingsParams);

  let zoo: ModelZoo | undefined;
  const createModelZoo = (): ModelZoo =>
    createZoo(runner, {
      base: { data: pipelineData(embeddingsParams), shape: { dModel, ...profile.model } },
      training: profile.training,
      seed,
      ep: options.ep ?? CPU,
      imported: options.imported ?? [],
    });

  return {
    profile,
    corpus: () => runner.value(corpus),
    statistics: () => runner.value(statistics),
    embeddings: () => runner.value(embeddings),
    zoo: () => (zoo ??= createModelZoo()),
    progress: progressBar,
    runner,
    dataCalls: [corpus, statistics, embeddings],
  };
}
