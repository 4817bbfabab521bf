/**
 * The model zoo as the analyses see it: each model, probe and init variant by name, each one a
 * call of a stage declared in stages.ts, so it is computed at most once per run and, where it is
 * slow, once per key across runs.
 *
 *   random-init   GPT-2 init (seed)                                         no training
 *   ct-init       random-init with the crystallized embeddings as tok_emb    no training
 *   ct-sft        ct-init trained with tok_emb frozen ('sft' set)            training.sftSteps
 *   v1            random-init trained in full                                 the same steps and batches
 *   init variants ct-init with another attention (inits.ts), SFT as ct-sft     training.initVariantSteps
 *
 * Any of the four models can be a user's checkpoint instead (`--model NAME=PATH`, imports.ts): it
 * is used wherever that model is (an imported ct-init is what CT+SFT and the init variants start
 * from, an imported V1 is the trained oracle), and, being a call of the imported-model stage keyed
 * by the file's hash, it replaces the training recipe in the key of everything computed from it.
 */
import type { GptConfig } from '../model/config.js';
import type { ModelWeights } from '../model/weights.js';
import type { Matrix } from '../linalg/matrix.js';
import type { TrainingSettings } from '../core/profile.js';
import type { ExecutionProvider, ResolvedEp } from '../runtime/execution-providers.js';
import { type StageCall, type StageRunner, call, refOf } from '../stages/index.js';
import type { ImportedModel } from './imports.js';
import type { InitVariant, VariantInit } from './inits.js';
import type { ValidationLoss } from './probes.js';
import {
  type ModelCallParams,
  type Probe,
  type TrainingOptions,
  type ZooBase,
  type ZooModelName,
  RECIPE_NEEDS_V1,
  VARIANT_RECIPE,
  attentionBigramsStage,
  configStage,
  ctInitStage,
  importedModelStage,
  modelCall,
  projectedAsymmetryStage,
  randomInitStage,
  trainStage,
  unpack,
  validationStage,
  variantInitStage,
  variantStage,
} from './stages.js';

export { ZOO_MODELS, type ZooModelName } from './stages.js';

export interface ZooSettings {
  /** the data stages and the model's shape (vocabSize comes from the data) */
  base: ZooBase;
  training: TrainingSettings;
  /** seeds the init, the batches and the random parts of the init variants */
  seed: number;
  /** the execution provider every stage runs on, already resolved */
  ep: ResolvedEp;
  /** users' checkpoints that replace zoo models (at most one per name) */
  imported?: readonly ImportedModel[];
}

export interface ZooModel {
  name: ZooModelName;
  config: GptConfig;
  weights: ModelWeights;
  /** training loss of each step (empty for the untrained models) */
  trainingLosses: number[];
  /** the EP that trained it (null for the untrained models) */
  trainedOn: ExecutionProvider | null;
  /** the user's file it was loaded from (`--model`), or null for the zoo's own */
  importedFrom: string | null;
}

export interface InitVariantRun {
  init: InitVariant;
  steps: number;
  /** training loss of each step: losses[s] is the loss on batch s before update s */
  losses: number[];
  /** losses[0]: the loss on the first batch at init */
  initialLoss: number;
  /** the loss on batch `steps` (the next one) after `steps` updates */
  loss: number;
  /** loss on the held-out split after training */
  validation: ValidationLoss;
  /** numbers describing the init (e.g. the blend's PR per layer) */
  detail: Record<string, number | number[]>;
  /** the weights after training */
  weights: ModelWeights;
  trainedOn: ExecutionProvider;
}

/** One stage the zoo computed or loaded in this process, for the report's provenance line. */
export interface StageRecord {
  stage: string;
  ep: ExecutionProvider;
  /** loaded from the cache rather than computed now */
  cached: boolean;
}

export interface ModelZoo {
  config(): Promise<GptConfig>;
  model(name: ZooModelName): Promise<ZooModel>;
  /** loss and perplexity of a model on the held-out split */
  validation(name: ZooModelName): Promise<ValidationLoss>;
  /** an init variant trained `steps` steps (default training.initVariantSteps) */
  initVariant(init: InitVariant, steps?: number): Promise<InitVariantRun>;
  /** the initial weights of an init variant (not cached: cheap and deterministic) */
  initVariantInit(init: InitVariant): Promise<VariantInit>;
  /** A_proj = E^T A E (d, d) with the crystallized E */
  projectedAsymmetry(): Promise<Matrix>;
  /**
   * Paper 54's attention-weighted K_2 of a model over the training tokens (the stream K_2 counts),
   * restricted to `tokensKept` (n, n), row-major, for one layer or averaged over all (cached).
   */
  attentionWeightedBigrams(name: ZooModelName, tokensKept: Int32Array, layer?: number): Promise<Float64Array>;
  /** load every imported model now, so that a bad file fails the run before anything is computed */
  loadImports(): Promise<void>;
  /** the calls of every model stage at its default params: what an analysis that reads models depends on */
  calls(): StageCall[];
  /** what ran (or loaded) so far in this process */
  stages(): StageRecord[];
  readonly ep: ResolvedEp;
}

export function createZoo(runner: StageRunner, settings: ZooSettings): ModelZoo {
  const { base, training, seed, ep } = settings;
  const imported = new Map((settings.imported ?? []).map((m) => [m.name, m]));
  const records: StageRecord[] = [];

  const trainingOptions = (steps: number, warmup: number, frozen: 'sft' | 'none'): TrainingOptions => ({
    steps,
    warmup,
    batchSize: training.batchSize,
    seqLen: training.seqLen,
    lr: training.lr,
    frozen,
    seed,
    ep: ep.ep,
  });
  const probe: Probe = { seqLen: training.seqLen, batchSize: training.probeBatch, ep: ep.ep };

  /** Where each model comes from: the user's file, or this zoo's init or training run. */
  const modelRef = (name: ZooModelName): ModelCallParams => {
    const source = imported.get(name);
    if (source !== undefined) return refOf(call(importedModelStage, { base, name, path: source.path, sha256: source.sha256 }));
    if (name === 'random-init') return refOf(call(randomInitStage, { base, seed }));
    if (name === 'ct-init') return refOf(call(ctInitStage, { base, seed }));
    const start = modelRef(name === 'ct-sft' ? 'ct-init' : 'random-init');
    const options = trainingOptions(training.sftSteps, training.warmup, name === 'ct-sft' ? 'sft' : 'none');
    return refOf(call(trainStage, { base, model: name, start, options }));
  };

  /** A stage's value; disk stages are recorded under `name` with whether they were computed or loaded. */
  const record = async <T>(name: string, c: StageCall<T>): Promise<T> => {
    if (c.def.persist !== 'disk') return runner.value(c);
    const cached = runner.isStored(c);
    const value = await runner.value(c);
    records.push({ stage: name, ep: ep.ep, cached });
    return value;
  };

  const config = () => runner.value(call(configStage, base));

  const model = async (name: ZooModelName): Promise<ZooModel> => {
    const ref = modelRef(name);
    const [c, stored] = [await config(), await record(name, modelCall(ref))];
    return { name, config: c, weights: unpack(stored.weights), trainingLosses: stored.losses, trainedOn: stored.ep, importedFrom: stored.importedFrom };
  };

  const validationCall = (name: ZooModelName) => call(validationStage, { base, model: modelRef(name), probe });

  const variantCall = (init: InitVariant, steps = training.initVariantSteps) => {
    const recipe = VARIANT_RECIPE[init];
    const start = { base, recipe, seed: seed + 1, ctInit: modelRef('ct-init'), v1: RECIPE_NEEDS_V1[recipe] ? modelRef('v1') : null };
    const options = trainingOptions(steps, Math.min(training.initVariantWarmup, steps - 1), 'sft');
    return { init: call(variantInitStage, start), run: call(variantStage, { base, init: start, options, probe }) };
  };

  return {
    ep,
    config,
    model,
    validation: (name) => record(`validation-${name}`, validationCall(name)),
    async initVariant(init, steps = training.initVariantSteps) {
      const r = await record(`variant-${VARIANT_RECIPE[init]}`, variantCall(init, steps).run);
      return {
        init,
        steps,
        losses: r.losses,
        initialLoss: r.losses[0],
        loss: r.loss,
        validation: r.validation,
        detail: r.detail,
        weights: unpack(r.weights),
        trainedOn: r.ep,
      };
    },
    initVariantInit: (init) => runner.value(variantCall(init).init),
    projectedAsymmetry: () => runner.value(call(projectedAsymmetryStage, base)),
    async attentionWeightedBigrams(name, tokensKept, layer) {
      const c = call(attentionBigramsStage, { base, model: modelRef(name), probe, layer: (layer ?? 'mean') as number | 'mean', tokensKept: Array.from(tokensKept) });
      return (await record(`attention-bigrams-${name}`, c)).matrix;
    },
    async loadImports() {
      for (const name of imported.keys()) await runner.value(modelCall(modelRef(name)));
    },
    calls: () => [
      ...(['random-init', 'ct-init', 'ct-sft', 'v1'] as const).flatMap((name) => [modelCall(modelRef(name)), validationCall(name)]),
      ...(['random', 'asymmetry-injection', 'pr-matched-blend', 'trained-oracle'] as const).map((init) => variantCall(init).run),
    ],
    stages: () => [...records],
  };
}

/** The EP in a few words: which one ran and how it was chosen (the probes' details go to the log). */
export function describeEp(ep: ResolvedEp): string {
  if (ep.requested !== 'auto') return `${ep.ep} (--ep ${ep.requested})`;
  const why = { cpu: 'no CUDA provider and no WebGPU GPU found', webgpu: 'CUDA unavailable', cuda: 'CUDA available' }[ep.ep];
  return `${ep.ep} (--ep auto: ${why})`;
}

/** One line for the report: the EP of the model stages, per stage where they differ. */
export function describeStages(ep: ResolvedEp, records: StageRecord[]): string {
  if (records.length === 0) return `${describeEp(ep)}; no model stage ran (model-dependent results, if any, came from the cache)`;
  const byEp = new Map<ExecutionProvider, string[]>();
  for (const r of records) {
    const list = byEp.get(r.ep) ?? [];
    const label = r.cached ? `${r.stage} (cached)` : r.stage;
    if (!list.includes(label)) list.push(label);
    byEp.set(r.ep, list);
  }
  if (byEp.size === 1) return `${describeEp(ep)}; model stages: ${[...byEp.values()][0].join(', ')}`;
  return `${describeEp(ep)}; ` + [...byEp].map(([e, stages]) => `on ${e}: ${stages.join(', ')}`).join('; ');
}
