/**
 * The stage graph up to the analyses: corpus -> statistics -> crystallized embeddings -> model zoo.
 * Each stage is computed at most once per run and, where it is slow enough to matter, cached on disk
 * under a key of its inputs, parameters and code.
 */
import type { AnalysisContext } from '../analyses/types.js';
import type { Corpus, CorpusStatistics } from '../corpus/types.js';
import type { CrystallizedEmbeddings } from '../embeddings/types.js';
import type { Profile } from './profiles.js';
import type { ResolvedEp } from '../runtime/execution-providers.js';
import { type ModelZoo, createZoo } from '../zoo/zoo.js';
import type { ImportedModel } from '../zoo/imports.js';
import { loadCorpus, computeStatistics } from '../corpus/index.js';
import { crystallize } from '../embeddings/index.js';
import { StageCache, codeHash, hashKey } from './cache.js';
import { progressBar } from './progress.js';

export interface StageContext extends AnalysisContext {
  /**
   * identifies the data every analysis sees: corpus, profile, the code of the upstream stages and
   * the execution provider that runs the models
   */
  upstreamKey: string;
  cache: StageCache;
}

export interface ContextOptions {
  /** the execution provider of every model stage (default: the CPU) */
  ep?: ResolvedEp;
  /** users' checkpoints in place of zoo models (`--model NAME=PATH`) */
  imported?: readonly ImportedModel[];
}

const CPU: ResolvedEp = { requested: 'cpu', ep: 'cpu', reason: 'cpu' };

function once<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= f());
}

export function createContext(profile: Profile, corpusSource: string, cache: StageCache, options: ContextOptions = {}): StageContext {
  const ep = options.ep ?? CPU;
  const imported = options.imported ?? [];
  // Only what each stage reads goes into its key: a change of training settings must not recompute
  // the corpus statistics or the embeddings.
  const { vocabSize, statTokens, validationTokens, activeTokens, dModel, seed } = profile;
  const corpusKey = hashKey({ corpusSource, vocabSize, statTokens, validationTokens, activeTokens, code: codeHash(['corpus']) });

  const corpus = once(async (): Promise<Corpus> => {
    const tick = progressBar(`corpus (${corpusSource})`, 1);
    const c = loadCorpus(corpusSource, {
      vocabSize: profile.vocabSize,
      statTokens: profile.statTokens,
      validationTokens: profile.validationTokens,
    });
    tick();
    return c;
  });

  const statistics = once(async (): Promise<CorpusStatistics> => {
    const c = await corpus();
    const tick = progressBar('co-occurrence statistics', 1);
    const s = computeStatistics(c, profile.activeTokens);
    tick();
    return s;
  });

  const embeddingsKey = hashKey({ corpusKey, dModel, seed, code: codeHash(['corpus', 'embeddings', 'linalg']) });
  const embeddings = once(() =>
    cache.getOrCompute('embeddings', embeddingsKey, async (): Promise<CrystallizedEmbeddings> => {
      const stats = await statistics();
      return crystallize(stats, { dModel: profile.dModel, seed: profile.seed }, progressBar);
    }),
  );

  let zoo: ModelZoo | undefined;
  const createModelZoo = (): ModelZoo =>
    createZoo(
      async () => {
        const [c, stats, crystallized] = await Promise.all([corpus(), statistics(), embeddings()]);
        return {
          trainIds: c.statIds,
          validationIds: c.validationIds,
          vocabSize: stats.vocabSize,
          embeddings: crystallized.embeddings,
          transition: stats.transition,
          key: embeddingsKey,
        };
      },
      { shape: { dModel: profile.dModel, ...profile.model }, training: profile.training, seed: profile.seed, ep, progress: progressBar, imported },
      cache,
    );

  return {
    profile,
    corpus,
    statistics,
    embeddings,
    zoo: () => (zoo ??= createModelZoo()),
    progress: progressBar,
    upstreamKey: hashKey({
      embeddingsKey,
      profile, // analyses read the whole profile (null seeds, transition powers, training settings)
      ep: ep.ep,
      imported: imported.map(({ name, sha256 }) => ({ name, sha256 })),
      code: codeHash(['corpus', 'embeddings', 'linalg', 'analyses', 'model', 'train', 'runtime', 'zoo']),
    }),
    cache,
  };
}
