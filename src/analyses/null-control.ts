/**
 * The null control of an analysis: the same measurement repeated on profile.nullSeeds draws of
 * something that knows nothing of the corpus (a Gaussian matrix of the same shape and norm, a
 * random init of the same architecture), its samples collected per output.
 *
 * Every random draw takes its seed from a stream of its own, keyed by (analysis, purpose, draw
 * index) and the profile's master seed (streamKey, FNV-1a). Seeds picked by hand as
 * `seed + offset + s` collide as soon as two analyses pick the same offset or one analysis needs
 * more than one draw per sample; keyed streams cannot, and a draw keeps its seed when another
 * analysis or purpose is added.
 */
import { streamKey } from '../model/random.js';
import type { AnalysisContext, Output } from './types.js';

/**
 * The seed of draw `index` of `purpose` ('noise', 'init', 'W_K layer 3') in `analysis`'s random
 * draws, from the master seed.
 */
export function drawSeed(masterSeed: number, analysis: string, purpose: string, index: number): number {
  return streamKey(masterSeed, `${analysis}/${purpose}/${index}`);
}

/** One sample of a null control. */
export interface NullDraw {
  /** 0 .. nullSeeds - 1 */
  index: number;
  /** this sample's seed for one purpose; two purposes give independent draws */
  seed(purpose: string): number;
}

/**
 * `measure` once per null seed, its outputs collected per output name in draw order (the
 * `nulls` of an AnalysisResult). `analysis` keys the seeds: two analyses that should see the same
 * random draws pass the same name. With `progress`, a progress line counts the draws.
 */
export function nullControl(
  ctx: AnalysisContext,
  analysis: string,
  measure: (draw: NullDraw) => Record<string, Output>,
  progress?: string,
): Record<string, Output[]> {
  const count = ctx.profile.nullSeeds;
  const tick = progress === undefined ? () => {} : ctx.progress(progress, count);
  const nulls: Record<string, Output[]> = {};
  for (let index = 0; index < count; index++) {
    const sample = measure({ index, seed: (purpose) => drawSeed(ctx.profile.seed, analysis, purpose, index) });
    for (const [name, value] of Object.entries(sample)) (nulls[name] ??= []).push(value);
    tick();
  }
  return nulls;
}

/**
 * nullControl for a measurement that runs elsewhere (a worker thread): every draw is started at
 * once and the samples are collected in draw order, so the result equals nullControl's.
 */
export async function nullControlConcurrent(
  ctx: AnalysisContext,
  analysis: string,
  measure: (draw: NullDraw) => Promise<Record<string, Output>>,
): Promise<Record<string, Output[]>> {
  const draws = Array.from({ length: ctx.profile.nullSeeds }, (_, index) =>
    measure({ index, seed: (purpose) => drawSeed(ctx.profile.seed, analysis, purpose, index) }),
  );
  const nulls: Record<string, Output[]> = {};
  for (const sample of await Promise.all(draws)) {
    for (const [name, value] of Object.entries(sample)) (nulls[name] ??= []).push(value);
  }
  return nulls;
}
