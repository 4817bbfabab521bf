/**
 * A tiny zoo for tests: a synthetic corpus from a noisy first-order Markov chain over 20 words
 * (so that bigram statistics and training have structure), Gaussian stand-ins for the crystallized
 * embeddings, and a GPT small enough that the whole zoo trains in seconds on the CPU EP.
 */
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { corpusFromText } from '../../src/corpus/load.js';
import { computeStatistics } from '../../src/corpus/statistics.js';
import type { Corpus, CorpusStatistics } from '../../src/corpus/types.js';
import { gaussianMatrix } from '../../src/linalg/index.js';
import { createRng } from '../../src/linalg/random.js';
import { z } from 'zod';
import { StageRunner, StageStore, defineStage } from '../../src/stages/index.js';
import type { TrainingSettings } from '../../src/core/profile.js';
import type { CrystallizedEmbeddings } from '../../src/embeddings/types.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import type { SparseMatrix } from '../../src/corpus/types.js';
import { type ModelZoo, createZoo } from '../../src/zoo/zoo.js';
import type { AnalysisContext } from '../../src/analyses/types.js';
import { PROFILES } from '../../src/pipeline/profiles.js';

const WORDS = Array.from({ length: 20 }, (_, i) => `w${String.fromCharCode(97 + i)}`);

function markovText(tokens: number, seed: number): string {
  const rng = createRng(seed);
  const out: string[] = [];
  let state = 0;
  for (let i = 0; i < tokens; i++) {
    out.push(WORDS[state]);
    // mostly a fixed successor (state * 7 + 3 mod 20), sometimes a random word
    state = rng.uniform() < 0.75 ? (state * 7 + 3) % WORDS.length : Math.floor(rng.uniform() * WORDS.length);
  }
  return out.join(' ');
}

export const TINY_TRAINING: TrainingSettings = {
  batchSize: 4,
  seqLen: 8,
  lr: 1e-2,
  warmup: 2,
  sftSteps: 30,
  initVariantSteps: 5,
  initVariantWarmup: 1,
  probeBatch: 16,
};

export const TINY_SHAPE = { dModel: 16, nLayers: 2, nHeads: 2, blockSize: 8, dMlp: 32 };

/** The tiny zoo's data: what the pipeline's corpus, statistics and embeddings stages would give. */
export interface ZooData {
  trainIds: Int32Array;
  validationIds: Int32Array;
  vocabSize: number;
  /** Gaussian stand-ins for the crystallized embeddings (V, d) */
  embeddings: Matrix;
  transition: SparseMatrix;
  /** names this data set in the stage params (and so in every key computed from it) */
  key: string;
}

export function tinyZooData(): ZooData {
  const corpus = corpusFromText(markovText(5000, 7), { vocabSize: 21, statTokens: 4000, validationTokens: 800 }, { name: 'markov', format: 'plain' });
  const stats = computeStatistics(corpus, 10);
  return {
    trainIds: corpus.statIds,
    validationIds: corpus.validationIds,
    vocabSize: stats.vocabSize,
    embeddings: gaussianMatrix(stats.vocabSize, TINY_SHAPE.dModel, 11),
    transition: stats.transition,
    key: 'tiny-markov',
  };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(nodePath.join(os.tmpdir(), prefix));
}

/** Data sets by key: the fixture's stages in place of the corpus, statistics and embeddings stages. */
const DATA_SETS = new Map<string, ZooData>();
const DataKey = z.object({ key: z.string() }).strict();
const dataSet = (key: string): ZooData => DATA_SETS.get(key)!;

/** A memory stage that hands out one part of a data set. */
const tinyStage = <T>(name: string, part: (data: ZooData) => T) =>
  defineStage({ name, module: import.meta.url, params: DataKey, inputs: () => ({}), persist: 'memory', run: async ({ key }) => part(dataSet(key)) });

const tinyCorpusStage = tinyStage('tiny-corpus', (d) => ({ statIds: d.trainIds, validationIds: d.validationIds }) as Corpus);
const tinyStatisticsStage = tinyStage('tiny-statistics', (d) => ({ vocabSize: d.vocabSize, transition: d.transition }) as CorpusStatistics);
const tinyEmbeddingsStage = tinyStage('tiny-embeddings', (d) => ({ embeddings: d.embeddings }) as CrystallizedEmbeddings);

export interface TinyZoo {
  zoo: ModelZoo;
  runner: StageRunner;
  store: StageStore;
}

export function tinyZoo(cacheDir: string, data: ZooData = tinyZooData(), options: { training?: TrainingSettings; imported?: Parameters<typeof createZoo>[1]['imported'] } = {}): TinyZoo {
  DATA_SETS.set(data.key, data);
  const store = new StageStore(cacheDir, () => undefined);
  const runner = new StageRunner(store, () => () => undefined);
  const ref = (stage: { name: string }) => ({ stage: stage.name, params: { key: data.key } });
  const zoo = createZoo(runner, {
    base: { data: { corpus: ref(tinyCorpusStage), statistics: ref(tinyStatisticsStage), embeddings: ref(tinyEmbeddingsStage) }, shape: TINY_SHAPE },
    training: options.training ?? TINY_TRAINING,
    seed: 5,
    ep: { requested: 'cpu', ep: 'cpu', reason: 'cpu' },
    imported: options.imported,
  });
  return { zoo, runner, store };
}

/**
 * An analysis context over a (tiny) zoo: the ci profile with TINY_TRAINING, no progress output;
 * `extra` adds what an analysis reads besides the zoo (statistics, embeddings).
 */
export function tinyAnalysisContext(zoo: Pick<ModelZoo, 'model'> | ModelZoo, extra: Partial<AnalysisContext> = {}): AnalysisContext {
  return {
    profile: { ...PROFILES.ci, training: TINY_TRAINING },
    zoo: () => zoo,
    progress: () => () => undefined,
    ...extra,
  } as unknown as AnalysisContext;
}

/** The statistics the tiny zoo's data was built from: the same stream, 10 active tokens. */
export function tinyStatistics(data: ZooData): CorpusStatistics {
  return computeStatistics({ vocab: new Array<string>(data.vocabSize).fill(''), statIds: data.trainIds } as Corpus, 10);
}

/** An analysis context that also reads the tiny zoo's corpus statistics and embeddings. */
export function tinyCorpusContext(zoo: ModelZoo, data: ZooData, stats: CorpusStatistics = tinyStatistics(data)): AnalysisContext {
  return tinyAnalysisContext(zoo, { statistics: async () => stats, embeddings: async () => ({ embeddings: data.embeddings }) as never });
}
