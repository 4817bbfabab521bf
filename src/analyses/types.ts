/**
 * Analyses are the named measurements that paper specs reference. Each declares its outputs (so a
 * spec that names an unknown analysis or output fails at load) and how it runs. An analysis that
 * needs something the project cannot build yet (trained models) declares what it waits for; claims
 * that use it are judged `pending` with that reason rather than guessed.
 */
import type { z } from 'zod';
import type { Profile } from '../core/profile.js';
import type { Corpus, CorpusStatistics } from '../corpus/types.js';
import type { CrystallizedEmbeddings } from '../embeddings/types.js';
import type { ModelZoo } from '../zoo/zoo.js';

export type Output = number | number[];
/** params as a spec writes them (claims/schema.ts AnalysisRef.params) */
export type Params = Record<string, number | string | boolean>;
/** a strict zod object of the params an analysis takes (params.ts) */
export type ParamsSchema = z.ZodObject;

export interface AnalysisResult {
  outputs: Record<string, Output>;
  /** samples of the same outputs under the null control, one entry per seed */
  nulls?: Record<string, Output[]>;
  /** one line on what the null control is, shown in the report */
  nullDescription?: string;
  notes?: string[];
}

/** Returned instead of a result when this parameterization cannot run yet. */
export interface PendingResult {
  pending: string;
}

/** Lazily computed, cached upstream stages. */
export interface AnalysisContext {
  profile: Profile;
  corpus(): Promise<Corpus>;
  statistics(): Promise<CorpusStatistics>;
  embeddings(): Promise<CrystallizedEmbeddings>;
  /** the model zoo: trained models and probes, each stage computed once and cached (src/zoo) */
  zoo(): ModelZoo;
  /** report progress of a long loop; returns a tick function */
  progress(label: string, total: number): (done?: number) => void;
}

export interface AnalysisDef {
  name: string;
  description: string;
  /** output name -> what it is (units, shape) */
  outputs: Record<string, string>;
  /** the null control, in a sentence; absent when none applies */
  nullControl?: string;
  /** what this analysis waits for, when it cannot run yet */
  waitsFor?: string;
  /** the params a spec may pass: checked when the spec loads, parsed before `run` sees them */
  params: ParamsSchema;
  /** takes the params as the spec wrote them; defineAnalysis (params.ts) parses them with `params` first */
  run?: (ctx: AnalysisContext, params: Params) => Promise<AnalysisResult | PendingResult>;
}
