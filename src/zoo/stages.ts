/**
 * The zoo's stages, declared (see src/stages/graph.ts): the papers' models built, trained and
 * probed. Each model is a call of one of four stages, and a stage that reads a model takes that
 * call's params as its own `model` param, so its key follows from the model's key:
 *
 *   random-init     GPT-2 init (seed)                                          memory
 *   ct-init         random-init with the crystallized E as tok_emb              memory
 *   imported-model  a user's checkpoint (`--model NAME=PATH`), keyed by its bytes memory
 *   train           a start model trained (CT+SFT: tok_emb frozen; V1: in full)  disk, checkpoints
 *   validation      loss of a model on the held-out split                        disk
 *   variant-init    ct-init with another attention (inits.ts)                    memory
 *   variant         an init variant trained as CT+SFT is, then probed            disk
 *   attention-bigrams  Paper 54's attention-weighted K_2 of a model              disk
 *
 * Every training run draws its batches from tokenStreamBatches(statistics tokens, seed): batch s
 * is the same for every model, so CT+SFT and V1 see identical data, and so do all init variants.
 */
import { rmSync } from 'node:fs';
import { z } from 'zod';
import type { GptConfig } from '../model/config.js';
import { initParameters } from '../model/init.js';
import { streamKey } from '../model/random.js';
import { loadModelWeights } from '../model/weights-io.js';
import type { ModelWeights } from '../model/weights.js';
import type { Matrix } from '../linalg/matrix.js';
import { UserError } from '../core/errors.js';
import { projectSparse } from '../corpus/sparse.js';
import { corpusStage, statisticsStage } from '../corpus/stage.js';
import { type EmbeddingsParams, embeddingsStage } from '../embeddings/stage.js';
import type { ExecutionProvider } from '../runtime/execution-providers.js';
import { tokenStreamBatches } from '../train/batches.js';
import { train } from '../train/trainer.js';
import { type StageCall, type StageDef, type StageEnv, StageRef, call, defineStage, refCall, refOf } from '../stages/index.js';
import type { Corpus, CorpusStatistics } from '../corpus/types.js';
import type { CrystallizedEmbeddings } from '../embeddings/types.js';
import { antisymmetricPart } from './attention.js';
import { INIT_VARIANTS, type VariantInit, ctInitWeights, initVariantWeights } from './inits.js';
import { type ValidationLoss, attentionWeightedBigrams, batchLoss, validationLoss } from './probes.js';

export const ZOO_MODELS = ['random-init', 'ct-init', 'ct-sft', 'v1'] as const;
export type ZooModelName = (typeof ZOO_MODELS)[number];

/** Steps between checkpoints of a training run. */
const CHECKPOINT_EVERY = 100;

const EP = z.enum(['cpu', 'webgpu', 'cuda']);

/**
 * What every model is built on: the data stages (as refs, so that tests can put synthetic data in
 * their place) and the model's shape.
 */
const Base = z
  .object({
    data: z.object({ corpus: StageRef, statistics: StageRef, embeddings: StageRef }).strict(),
    shape: z.object({ dModel: z.number().int(), nLayers: z.number().int(), nHeads: z.number().int(), blockSize: z.number().int(), dMlp: z.number().int() }).strict(),
  })
  .strict();
export type ZooBase = z.infer<typeof Base>;
type Base = ZooBase;

/** A model as a call: the stage that makes it (random-init, ct-init, imported-model, train) and its params. */
const ModelCallParams = StageRef;
export type ModelCallParams = StageRef;

const TrainingOptions = z
  .object({
    steps: z.number().int().positive(),
    warmup: z.number().int().nonnegative(),
    batchSize: z.number().int().positive(),
    seqLen: z.number().int().positive(),
    lr: z.number().positive(),
    frozen: z.enum(['sft', 'none']),
    /** seeds the batch sampler */
    seed: z.number().int(),
    ep: EP,
  })
  .strict();
export type TrainingOptions = z.infer<typeof TrainingOptions>;

const Probe = z.object({ seqLen: z.number().int().positive(), batchSize: z.number().int().positive(), ep: EP }).strict();
export type Probe = z.infer<typeof Probe>;

/** Float32 weights stored bit for bit through the store's Int32Array support (half the bytes of Float64). */
export type PackedWeights = Record<string, { shape: number[]; float32Bits: Int32Array }>;

export function pack(weights: ModelWeights): PackedWeights {
  const packed: PackedWeights = {};
  for (const [name, { shape, data }] of weights) packed[name] = { shape, float32Bits: new Int32Array(data.buffer, data.byteOffset, data.length) };
  return packed;
}

export function unpack(packed: PackedWeights): ModelWeights {
  const weights: ModelWeights = new Map();
  for (const [name, { shape, float32Bits }] of Object.entries(packed)) {
    weights.set(name, { shape, data: new Float32Array(float32Bits.buffer, float32Bits.byteOffset, float32Bits.length) });
  }
  return weights;
}

/** What every model stage yields. */
export interface StoredModel {
  weights: PackedWeights;
  /** training loss of each step (empty for the untrained models) */
  losses: number[];
  gradNorms: number[];
  /** the EP that trained it (null for the untrained models) */
  ep: ExecutionProvider | null;
  msPerStep: number | null;
  /** the user's file it was loaded from, or null */
  importedFrom: string | null;
}

const untrained = (weights: ModelWeights, importedFrom: string | null = null): StoredModel => ({
  weights: pack(weights),
  losses: [],
  gradNorms: [],
  ep: null,
  msPerStep: null,
  importedFrom,
});

const corpusCall = (base: Base) => refCall<Corpus>(base.data.corpus);
const statisticsCall = (base: Base) => refCall<CorpusStatistics>(base.data.statistics);
const embeddingsCall = (base: Base) => refCall<CrystallizedEmbeddings>(base.data.embeddings);

/** The data refs of the real pipeline: the corpus, its statistics and the crystallized embeddings. */
export function pipelineData(embeddings: EmbeddingsParams): ZooBase['data'] {
  return {
    corpus: refOf(call(corpusStage, embeddings.statistics.corpus)),
    statistics: refOf(call(statisticsStage, embeddings.statistics)),
    embeddings: refOf(call(embeddingsStage, embeddings)),
  };
}

export const configStage = defineStage({
  name: 'model-config',
  module: import.meta.url,
  params: Base,
  inputs: (p) => ({ statistics: statisticsCall(p) }),
  persist: 'memory',
  label: () => 'model config',
  // the vocabulary is the corpus's (it may hold fewer word types than the profile asks for)
  run: async (p, inputs): Promise<GptConfig> => ({ vocabSize: (await inputs.statistics()).vocabSize, ...p.shape }),
});

const configCall = (base: Base) => call(configStage, base);

export const randomInitStage = defineStage({
  name: 'random-init',
  module: import.meta.url,
  params: z.object({ base: Base, seed: z.number().int() }).strict(),
  inputs: (p) => ({ config: configCall(p.base) }),
  persist: 'memory',
  label: () => 'random-init',
  run: async (p, inputs) => untrained(initParameters(await inputs.config(), p.seed)),
});

export const ctInitStage = defineStage({
  name: 'ct-init',
  module: import.meta.url,
  params: z.object({ base: Base, seed: z.number().int() }).strict(),
  inputs: (p) => ({ config: configCall(p.base), embeddings: embeddingsCall(p.base) }),
  persist: 'memory',
  label: () => 'ct-init',
  // its own draw: CT+SFT and V1 start from independent inits, as two separately initialized models
  // do, so that comparing the two solutions does not measure a shared starting point
  run: async (p, inputs) => untrained(ctInitWeights(await inputs.config(), (await inputs.embeddings()).embeddings, streamKey(p.seed, 'ct-init'))),
});

export const importedModelStage = defineStage({
  name: 'imported-model',
  module: import.meta.url,
  params: z.object({ base: Base, name: z.enum(ZOO_MODELS), path: z.string(), sha256: z.string() }).strict(),
  inputs: (p) => ({ config: configCall(p.base) }),
  contentHash: (p) => p.sha256,
  persist: 'memory',
  label: (p) => `${p.name} from ${p.path}`,
  async run(p, inputs, { progress }) {
    const config = await inputs.config();
    const tick = progress(`load ${p.name} from ${p.path}`, 1);
    try {
      const { weights } = loadModelWeights(p.path, { config });
      tick();
      return untrained(weights, p.path);
    } catch (error) {
      if (error instanceof UserError) throw new UserError(`--model ${p.name}: ${error.message}`);
      throw error;
    }
  },
});

async function runTraining(label: string, config: GptConfig, initial: ModelWeights, stream: Int32Array, options: TrainingOptions, env: StageEnv, checkpoint: boolean) {
  const tick = env.progress(`train ${label} (${options.steps} steps on ${options.ep})`, options.steps);
  const result = await train(config, initial, tokenStreamBatches(stream, options.seed), {
    ...options,
    checkpointDir: checkpoint ? env.scratchDir : undefined,
    checkpointEvery: CHECKPOINT_EVERY,
    onStep: ({ step }) => tick(step + 1),
  });
  if (checkpoint) rmSync(env.scratchDir, { recursive: true, force: true });
  return result;
}

export const trainStage: StageDef<TrainParams, TrainInputs, StoredModel> = defineStage({
  name: 'train',
  module: import.meta.url,
  params: z.object({ base: Base, model: z.enum(['ct-sft', 'v1']), start: ModelCallParams, options: TrainingOptions }).strict() as z.ZodType<TrainParams>,
  inputs: (p) => ({ config: configCall(p.base), start: modelCall(p.start), corpus: corpusCall(p.base) }),
  persist: 'disk',
  group: 'training',
  label: (p) => `train ${p.model}`,
  async run(p, inputs, env): Promise<StoredModel> {
    const [config, start, corpus] = [await inputs.config(), await inputs.start(), await inputs.corpus()];
    const result = await runTraining(p.model, config, unpack(start.weights), corpus.statIds, p.options, env, true);
    return { weights: pack(result.weights), losses: result.losses, gradNorms: result.gradNorms, ep: result.ep, msPerStep: result.msPerStep, importedFrom: null };
  },
});
interface TrainParams {
  base: Base;
  model: 'ct-sft' | 'v1';
  start: ModelCallParams;
  options: TrainingOptions;
}
interface TrainInputs {
  config: GptConfig;
  start: StoredModel;
  corpus: Corpus;
}

/** The call that yields a model. */
export function modelCall(m: ModelCallParams): StageCall<StoredModel> {
  return refCall<StoredModel>(m);
}

export const validationStage = defineStage({
  name: 'validation',
  module: import.meta.url,
  params: z.object({ base: Base, model: ModelCallParams, probe: Probe }).strict(),
  inputs: (p) => ({ config: configCall(p.base), model: modelCall(p.model), corpus: corpusCall(p.base) }),
  persist: 'disk',
  label: (p) => `validation of ${modelLabel(p.model)}`,
  async run(p, inputs, { progress }): Promise<ValidationLoss> {
    const tick = progress(`validation loss of ${modelLabel(p.model)}`, 1);
    const result = await validationLoss(await inputs.config(), unpack((await inputs.model()).weights), (await inputs.corpus()).validationIds, p.probe);
    tick();
    return result;
  },
});

export const projectedAsymmetryStage = defineStage({
  name: 'projected-asymmetry',
  module: import.meta.url,
  params: Base,
  inputs: (p) => ({ statistics: statisticsCall(p), embeddings: embeddingsCall(p) }),
  persist: 'memory',
  label: () => 'projected asymmetry E^T A E',
  run: async (_p, inputs): Promise<Matrix> => antisymmetricPart(projectSparse((await inputs.statistics()).transition, (await inputs.embeddings()).embeddings)), // (d, d)
});

/**
 * Init variants that are the same construction under our reading train once (see inits.ts): a
 * recipe names the construction, and its first variant is the one that builds it.
 */
export const VARIANT_RECIPES = ['random', 'projected-asymmetry', 'pr-matched-blend', 'trained-oracle'] as const;
export type VariantRecipe = (typeof VARIANT_RECIPES)[number];
export const VARIANT_RECIPE: Record<(typeof INIT_VARIANTS)[number], VariantRecipe> = {
  random: 'random',
  'asymmetry-injection': 'projected-asymmetry',
  'direct-t1': 'projected-asymmetry',
  'pr-matched-blend': 'pr-matched-blend',
  'trained-oracle': 'trained-oracle',
};
const RECIPE_INIT = { random: 'random', 'projected-asymmetry': 'asymmetry-injection', 'pr-matched-blend': 'pr-matched-blend', 'trained-oracle': 'trained-oracle' } as const;
/** The blend takes its PR target from the trained V1, the oracle its attention. */
export const RECIPE_NEEDS_V1: Record<VariantRecipe, boolean> = { random: false, 'projected-asymmetry': false, 'pr-matched-blend': true, 'trained-oracle': true };

export const variantInitStage = defineStage({
  name: 'variant-init',
  module: import.meta.url,
  params: z.object({ base: Base, recipe: z.enum(VARIANT_RECIPES), seed: z.number().int(), ctInit: ModelCallParams, v1: ModelCallParams.nullable() }).strict(),
  inputs: (p) => ({
    config: configCall(p.base),
    ctInit: modelCall(p.ctInit),
    projectedAsymmetry: call(projectedAsymmetryStage, p.base),
    ...(p.v1 ? { v1: modelCall(p.v1) } : {}),
  }),
  persist: 'memory',
  label: (p) => `init of variant ${p.recipe}`,
  async run(p, inputs): Promise<VariantInit> {
    const v1 = 'v1' in inputs ? (inputs as { v1: () => Promise<StoredModel> }).v1 : undefined;
    return initVariantWeights(RECIPE_INIT[p.recipe], await inputs.config(), {
      base: unpack((await inputs.ctInit()).weights),
      projectedAsymmetry: await inputs.projectedAsymmetry(),
      seed: p.seed,
      trained: v1 ? unpack((await v1()).weights) : undefined,
    });
  },
});

/** What an init-variant run stores. */
export interface StoredVariant {
  weights: PackedWeights;
  losses: number[];
  gradNorms: number[];
  /** the loss on batch `steps` (the next one) after `steps` updates */
  loss: number;
  validation: ValidationLoss;
  detail: Record<string, number | number[]>;
  ep: ExecutionProvider;
}

export const variantStage = defineStage({
  name: 'variant',
  module: import.meta.url,
  params: z.object({ base: Base, init: variantInitStage.params, options: TrainingOptions, probe: Probe }).strict(),
  inputs: (p) => ({ config: configCall(p.base), start: call(variantInitStage, p.init), corpus: corpusCall(p.base) }),
  persist: 'disk',
  group: 'training',
  label: (p) => `variant ${p.init.recipe} (${p.options.steps} steps)`,
  async run(p, inputs, env): Promise<StoredVariant> {
    const [config, start, corpus] = [await inputs.config(), await inputs.start(), await inputs.corpus()];
    const trained = await runTraining(`init variant ${p.init.recipe}`, config, start.weights, corpus.statIds, p.options, env, false);
    const next = tokenStreamBatches(corpus.statIds, p.options.seed).batch(p.options.steps, p.options.batchSize, p.options.seqLen);
    const loss = await batchLoss(config, trained.weights, next, p.options, p.options.ep);
    const validation = await validationLoss(config, trained.weights, corpus.validationIds, p.probe);
    return { weights: pack(trained.weights), losses: trained.losses, gradNorms: trained.gradNorms, loss, validation, detail: start.detail, ep: trained.ep };
  },
});

export const attentionBigramsStage = defineStage({
  name: 'attention-bigrams',
  module: import.meta.url,
  params: z
    .object({ base: Base, model: ModelCallParams, probe: Probe, layer: z.union([z.number().int().nonnegative(), z.literal('mean')]), tokensKept: z.array(z.number().int()) })
    .strict(),
  inputs: (p) => ({ config: configCall(p.base), model: modelCall(p.model), corpus: corpusCall(p.base) }),
  persist: 'disk',
  label: (p) => `attention-weighted K_2 of ${modelLabel(p.model)} (layer ${p.layer})`,
  async run(p, inputs, { progress }) {
    const tick = progress(`attention-weighted K_2 of ${modelLabel(p.model)}`, 1);
    const matrix = await attentionWeightedBigrams(await inputs.config(), unpack((await inputs.model()).weights), (await inputs.corpus()).statIds, {
      ...p.probe,
      tokensKept: Int32Array.from(p.tokensKept),
      layers: p.layer === 'mean' ? undefined : [p.layer],
    });
    tick();
    return { matrix };
  },
});

function modelLabel(m: ModelCallParams): string {
  const p = m.params as { model?: string; name?: string };
  if (m.stage === 'train') return p.model ?? 'a trained model';
  return m.stage === 'imported-model' ? `${p.name} (imported)` : m.stage;
}
