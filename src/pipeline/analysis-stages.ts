/**
 * Each analysis as a stage. Its params are the spec's params for it and the profile (analyses read
 * the profile: null seeds, transition powers, training settings); its inputs are the data stages
 * and, for an analysis that reads trained models, every model stage of the zoo; its code is the
 * module that exports it, followed through imports. So editing one analysis recomputes that
 * analysis alone, and a change of training settings recomputes the models and the analyses that
 * read them but no corpus-only analysis.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { AnalysisContext, AnalysisDef, AnalysisResult, PendingResult } from '../analyses/types.js';
import { ANALYSES } from '../analyses/catalog.js';
import { corpusOnlyDeclarations } from '../analyses/declarations.js';
import { type StageCall, type StageDef, defineStage, importedSpecifiers } from '../stages/index.js';
import type { StageContext } from './context.js';
import type { Profile } from '../core/profile.js';

const CATALOG = fileURLToPath(new URL('../analyses/catalog.ts', import.meta.url));

/** The analyses that read only the corpus, its statistics and the embeddings (declarations.ts). */
const CORPUS_ONLY = new Set(corpusOnlyDeclarations.map((d) => d.name));

let modules: Map<string, string> | undefined;

/** analysis name -> the module that exports it (found through the catalog's imports). */
async function analysisModules(): Promise<Map<string, string>> {
  if (modules) return modules;
  const found = new Map<string, string>();
  for (const spec of importedSpecifiers(readFileSync(CATALOG, 'utf8'))) {
    if (!spec.startsWith('.')) continue;
    const url = pathToFileURL(resolve(dirname(CATALOG), spec.replace(/\.js$/, '.ts'))).href;
    const mod = (await import(url)) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      const name = (value as { name?: unknown } | null)?.name;
      if (typeof name === 'string' && ANALYSES.get(name) === value) found.set(name, url);
    }
  }
  for (const name of ANALYSES.keys()) if (!found.has(name)) throw new Error(`analysis ${name}: no module of catalog.ts exports it`);
  return (modules = found);
}

/** Its params: which analysis, the spec's params for it, and analysisProfile(). */
const AnalysisParams = z
  .object({ analysis: z.string(), params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])), profile: z.record(z.string(), z.unknown()) })
  .strict();
type AnalysisParams = z.infer<typeof AnalysisParams>;

export type AnalysisStage = StageDef<AnalysisParams, Record<string, unknown>, AnalysisResult | PendingResult>;

/**
 * The part of the profile an analysis reads: all of it for an analysis of models, all but the
 * model's shape and training for a corpus-only one (so new training settings leave it cached).
 */
export function analysisProfile(def: AnalysisDef, profile: Profile): Record<string, unknown> {
  return CORPUS_ONLY.has(def.name) ? corpusOnlyProfile(profile) : { ...profile };
}

function corpusOnlyProfile(profile: Profile): Record<string, unknown> {
  const { model: _model, training: _training, description: _description, ...rest } = profile;
  return rest;
}

const corpusOnlyContexts = new WeakMap<StageContext, AnalysisContext>();

/**
 * The context of the corpus-only analyses: the run's, less the zoo and the model settings. One
 * per run, so that work they share through run-memo.ts is shared.
 */
function corpusOnlyContext(ctx: StageContext): AnalysisContext {
  let c = corpusOnlyContexts.get(ctx);
  if (c === undefined) {
    c = {
      ...ctx,
      profile: corpusOnlyProfile(ctx.profile) as unknown as Profile,
      zoo: () => {
        throw new Error('a corpus-only analysis (src/analyses/declarations.ts) read the model zoo');
      },
    };
    corpusOnlyContexts.set(ctx, c);
  }
  return c;
}

/** The stage of one analysis in this run's graph. */
export async function analysisStage(def: AnalysisDef, ctx: StageContext): Promise<AnalysisStage> {
  const module = (await analysisModules()).get(def.name)!;
  const readsModels = !CORPUS_ONLY.has(def.name);
  const analysisContext = readsModels ? ctx : corpusOnlyContext(ctx);
  return defineStage({
    name: `analysis-${def.name}`,
    module,
    params: AnalysisParams,
    inputs: (): Record<string, StageCall> => {
      const calls = readsModels ? [...ctx.dataCalls, ...ctx.zoo().calls()] : ctx.dataCalls;
      return Object.fromEntries(calls.map((c) => [ctx.runner.label(c), c]));
    },
    persist: 'disk',
    label: (p) => `${def.name} ${JSON.stringify(p.params)}`,
    run: async (p) => def.run!(analysisContext, p.params),
  });
}
