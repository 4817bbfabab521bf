/**
 * The model zoo: the papers' models built, trained and probed as cached pipeline stages.
 *
 *   random-init   GPT-2 init (seed)                                         no training
 *   ct-init       random-init with the crystallized embeddings as tok_emb    no training
 *   ct-sft        ct-init trained with tok_emb frozen ('sft' set)            training.sftSteps
 *   v1            random-init trained in full                                 the same steps and batches
 *   init variants ct-init with another attention (inits.ts), SFT as ct-sft     training.initVariantSteps
 *
 * Every trained stage is stored in the StageCache under a key that hashes the model config, the
 * training settings, the data (corpus, statistics and embeddings through data.key, and the training
 * tokens through the batch source's id), the seed, the execution provider and the code of the
 * model, train, runtime and zoo folders: change any of them and the stage trains again; change none
 * and it loads. All runs draw their batches from one tokenStreamBatches(trainIds, seed): batch s is
 * the same for every model, so CT+SFT and V1 see identical data, and so do all init variants.
 * Long runs checkpoint into the cache folder, so an interrupted run resumes where it stopped.
 *
 * Any of the four models can be a user's checkpoint instead (`--model NAME=PATH`, imports.ts): it
 * is used wherever that model is (an imported ct-init is what CT+SFT and the init variants start
 * from, an imported V1 is the trained oracle), and the file's hash replaces the training recipe in
 * the key of everything computed from it.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { GptConfig } from '../model/config.js';
import { initParameters } from '../model/init.js';
import { streamKey } from '../model/random.js';
import { loadModelWeights } from '../model/weights-io.js';
import { UserError } from '../core/errors.js';
import type { ModelWeights } from '../model/weights.js';
import type { Matrix } from '../linalg/matrix.js';
import { projectSparse } from '../corpus/sparse.js';
import type { SparseMatrix } from '../corpus/types.js';
import type { ExecutionProvider, ResolvedEp } from '../runtime/execution-providers.js';
import { tokenStreamBatches } from '../train/batches.js';
import { train } from '../train/trainer.js';
import type { StageCache } from '../pipeline/cache.js';
import { codeHash, hashKey } from '../pipeline/cache.js';
import type { TrainingSettings } from '../core/profile.js';
import { antisymmetricPart } from './attention.js';
import type { ImportedModel } from './imports.js';
import { type InitVariant, type VariantInit, ctInitWeights, initVariantWeights } from './inits.js';
import { type ValidationLoss, attentionWeightedBigrams, batchLoss, validationLoss } from './probes.js';

export const ZOO_MODELS = ['random-init', 'ct-init', 'ct-sft', 'v1'] as const;
export type ZooModelName = (typeof ZOO_MODELS)[number];

/** What the zoo is built from. */
export interface ZooData {
  /** the training token stream (the statistics window of the corpus) */
  trainIds: Int32Array;
  /** the held-out split */
  validationIds: Int32Array;
  /** rows of the model's tok_emb: the corpus vocabulary */
  vocabSize: number;
  /** crystallized embeddings (V, d), any scale (ct-init rescales them) */
  embeddings: Matrix;
  /** bigram transition matrix T (V, V), for the projected asymmetry E^T A E */
  transition: SparseMatrix;
  /** identifies everything above and the code that made it (part of every stage key) */
  key: string;
}

export interface ZooSettings {
  /** the model's shape; vocabSize comes from the data */
  shape: Omit<GptConfig, 'vocabSize'>;
  training: TrainingSettings;
  /** seeds the init, the batches and the random parts of the init variants */
  seed: number;
  /** the execution provider every stage runs on, already resolved */
  ep: ResolvedEp;
  /** report progress: a label and a total, returns a tick */
  progress?: (label: string, total: number) => (done?: number) => void;
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
  /** id of the batch source it trained on (null for the untrained models) */
  batches: string | null;
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
  /** id of the batch source it trained on: the same for every variant */
  batches: string;
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
  /** what ran (or loaded) so far in this process */
  stages(): StageRecord[];
  readonly ep: ResolvedEp;
}

/** Float32 weights stored bit for bit through the cache's Int32Array support (half the bytes of Float64). */
type PackedWeights = Record<string, { shape: number[]; float32Bits: Int32Array }>;

function pack(weights: ModelWeights): PackedWeights {
  const packed: PackedWeights = {};
  for (const [name, { shape, data }] of weights) {
    packed[name] = { shape, float32Bits: new Int32Array(data.buffer, data.byteOffset, data.length) };
  }
  return packed;
}

function unpack(packed: PackedWeights): ModelWeights {
  const weights: ModelWeights = new Map();
  for (const [name, { shape, float32Bits }] of Object.entries(packed)) {
    weights.set(name, { shape, data: new Float32Array(float32Bits.buffer, float32Bits.byteOffset, float32Bits.length) });
  }
  return weights;
}

interface TrainedStage {
  weights: PackedWeights;
  losses: number[];
  gradNorms: number[];
  ep: ExecutionProvider;
  msPerStep: number;
}

interface VariantStage {
  weights: PackedWeights;
  losses: number[];
  gradNorms: number[];
  loss: number;
  validation: ValidationLoss;
  detail: Record<string, number | number[]>;
  ep: ExecutionProvider;
}

/** Init variants that are the same construction under our reading train once (see inits.ts). */
const VARIANT_RECIPE: Record<InitVariant, string> = {
  random: 'random',
  'asymmetry-injection': 'projected-asymmetry',
  'direct-t1': 'projected-asymmetry',
  'pr-matched-blend': 'pr-matched-blend',
  'trained-oracle': 'trained-oracle',
};

/** Steps between checkpoints of the CT+SFT and V1 runs. */
const CHECKPOINT_EVERY = 100;

export function createZoo(data: () => Promise<ZooData>, settings: ZooSettings, cache: StageCache): ModelZoo {
  const { training, seed, ep } = settings;
  const progress = settings.progress ?? (() => () => undefined);
  const imported = new Map((settings.imported ?? []).map((m) => [m.name, m]));
  const records: StageRecord[] = [];
  const code = codeHash(['model', 'train', 'runtime', 'zoo']);

  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(id: string, compute: () => Promise<T>): Promise<T> => {
    let p = memo.get(id) as Promise<T> | undefined;
    if (p === undefined) {
      p = compute();
      memo.set(id, p);
    }
    return p;
  };

  const setup = () =>
    once('setup', async () => {
      const d = await data();
      const config: GptConfig = { vocabSize: d.vocabSize, ...settings.shape };
      const batches = tokenStreamBatches(d.trainIds, seed);
      const baseKey = { data: d.key, batches: batches.id, config, seed, code };
      return { data: d, config, batches, baseKey };
    });

  const stageKey = async (keyParts: object): Promise<string> => hashKey({ ...(await setup()).baseKey, ...keyParts, ep: ep.ep });

  /** A cached stage; records whether it was computed or loaded. */
  const stage = async <T>(name: string, keyParts: object, compute: () => Promise<T>): Promise<T> => {
    const key = await stageKey(keyParts);
    const cached = cache.has(`zoo-${name}`, key);
    const value = await cache.getOrCompute(`zoo-${name}`, key, compute);
    records.push({ stage: name, ep: ep.ep, cached });
    return value;
  };

  const trainingOptions = (steps: number, warmup: number, frozen: 'sft' | 'none') => ({
    steps,
    warmup,
    batchSize: training.batchSize,
    seqLen: training.seqLen,
    lr: training.lr,
    frozen,
    seed,
    ep: ep.ep,
  });

  /** How CT+SFT and V1 train. */
  const fullTraining = (name: 'ct-sft' | 'v1') => trainingOptions(training.sftSteps, training.warmup, name === 'ct-sft' ? 'sft' : 'none');

  /**
   * Where a model's weights come from beyond the base key (data, config, seed, code): the user's
   * file, or the training run and what it started from. Part of the key of everything computed
   * from the model.
   */
  const origin = (name: ZooModelName): object | null => {
    const source = imported.get(name);
    if (source !== undefined) return { imported: source.sha256 };
    if (name === 'ct-sft') return { training: fullTraining(name), from: origin('ct-init') };
    if (name === 'v1') return { training: fullTraining(name), from: origin('random-init') };
    return null; // random-init and ct-init follow from the base key
  };

  const importedWeights = (source: ImportedModel) =>
    once(`import ${source.name}`, async () => {
      const { config } = await setup();
      const tick = progress(`load ${source.name} from ${source.path}`, 1);
      try {
        const { weights } = loadModelWeights(source.path, { config });
        tick();
        return weights;
      } catch (error) {
        if (error instanceof UserError) throw new UserError(`--model ${source.name}: ${error.message}`);
        throw error;
      }
    });

  const runTraining = async (
    label: string,
    initial: ModelWeights,
    options: ReturnType<typeof trainingOptions>,
    checkpointDir?: string,
  ) => {
    const { config, batches } = await setup();
    const tick = progress(`train ${label} (${options.steps} steps on ${ep.ep})`, options.steps);
    const result = await train(config, initial, batches, {
      ...options,
      checkpointDir,
      checkpointEvery: CHECKPOINT_EVERY,
      onStep: ({ step }) => tick(step + 1),
    });
    if (checkpointDir !== undefined) rmSync(checkpointDir, { recursive: true, force: true });
    return result;
  };

  const randomInit = () =>
    once('random-init', async () => {
      const source = imported.get('random-init');
      return source !== undefined ? importedWeights(source) : initParameters((await setup()).config, seed);
    });
  const ctInit = () =>
    once('ct-init', async () => {
      const source = imported.get('ct-init');
      if (source !== undefined) return importedWeights(source);
      const { config, data: d } = await setup();
      // its own draw: CT+SFT and V1 start from independent inits, as two separately initialized
      // models do, so that comparing the two solutions does not measure a shared starting point
      return ctInitWeights(config, d.embeddings, streamKey(seed, 'ct-init'));
    });

  const trainedModel = (name: 'ct-sft' | 'v1') =>
    once(name, async () => {
      const options = fullTraining(name);
      const keyParts = { model: name, origin: origin(name) };
      const checkpoints = join(cache.dir, 'checkpoints', `${name}-${await stageKey(keyParts)}`);
      return stage<TrainedStage>(name, keyParts, async () => {
        const initial = name === 'ct-sft' ? await ctInit() : await randomInit();
        const result = await runTraining(name, initial, options, checkpoints);
        return { weights: pack(result.weights), losses: result.losses, gradNorms: result.gradNorms, ep: result.ep, msPerStep: result.msPerStep };
      });
    });

  const model = async (name: ZooModelName): Promise<ZooModel> => {
    const { config, batches } = await setup();
    const source = imported.get(name);
    const untrained = { name, config, trainingLosses: [], trainedOn: null, batches: null, importedFrom: source?.path ?? null };
    if (source !== undefined) return { ...untrained, weights: await importedWeights(source) };
    if (name === 'random-init') return { ...untrained, weights: await randomInit() };
    if (name === 'ct-init') return { ...untrained, weights: await ctInit() };
    const trained = await trainedModel(name);
    return { ...untrained, weights: unpack(trained.weights), trainingLosses: trained.losses, trainedOn: trained.ep, batches: batches.id };
  };

  const probe = { seqLen: training.seqLen, batchSize: training.probeBatch, ep: ep.ep };

  const validation = (name: ZooModelName) =>
    once(`validation ${name}`, async () => {
      const { data: d, config } = await setup();
      return stage<ValidationLoss>(`validation-${name}`, { model: name, origin: origin(name), probe }, async () => {
        const tick = progress(`validation loss of ${name}`, 1);
        const m = await model(name);
        const result = await validationLoss(config, m.weights, d.validationIds, probe);
        tick();
        return result;
      });
    });

  const projectedAsymmetry = () =>
    once('projected-asymmetry', async () => {
      const { data: d } = await setup();
      return antisymmetricPart(projectSparse(d.transition, d.embeddings)); // (d, d)
    });

  const initVariantInit = (init: InitVariant) =>
    once(`variant-init ${VARIANT_RECIPE[init]}`, async () => {
      const { config } = await setup();
      const needsTrained = init === 'pr-matched-blend' || init === 'trained-oracle';
      return initVariantWeights(init, config, {
        base: await ctInit(),
        projectedAsymmetry: await projectedAsymmetry(),
        seed: seed + 1,
        trained: needsTrained ? (await model('v1')).weights : undefined,
      });
    });

  const initVariant = (init: InitVariant, steps = training.initVariantSteps) =>
    once(`variant ${VARIANT_RECIPE[init]} ${steps}`, async (): Promise<InitVariantRun> => {
      const recipe = VARIANT_RECIPE[init];
      const options = trainingOptions(steps, Math.min(training.initVariantWarmup, steps - 1), 'sft');
      // every variant starts from ct-init; the blend and the oracle also depend on V1
      const dependsOnV1 = recipe === 'pr-matched-blend' || recipe === 'trained-oracle';
      const from = { ctInit: origin('ct-init'), v1: dependsOnV1 ? origin('v1') : null };
      const result = await stage<VariantStage>(`variant-${recipe}`, { recipe, options, from, probe }, async () => {
        const { config, data: d, batches } = await setup();
        const start = await initVariantInit(init);
        const trained = await runTraining(`init variant ${recipe}`, start.weights, options);
        const next = batches.batch(steps, training.batchSize, training.seqLen);
        const loss = await batchLoss(config, trained.weights, next, training, ep.ep);
        const validationResult = await validationLoss(config, trained.weights, d.validationIds, probe);
        return {
          weights: pack(trained.weights),
          losses: trained.losses,
          gradNorms: trained.gradNorms,
          loss,
          validation: validationResult,
          detail: start.detail,
          ep: trained.ep,
        };
      });
      return {
        init,
        steps,
        losses: result.losses,
        initialLoss: result.losses[0],
        loss: result.loss,
        validation: result.validation,
        detail: result.detail,
        weights: unpack(result.weights),
        trainedOn: result.ep,
        batches: (await setup()).batches.id,
      };
    });

  const attentionBigrams = (name: ZooModelName, tokensKept: Int32Array, layer?: number) =>
    once(`attention-bigrams ${name} ${layer ?? 'mean'} ${hashKey(Array.from(tokensKept))}`, async () => {
      const { config, data: d } = await setup();
      const keyParts = { model: name, origin: origin(name), probe, layer: layer ?? 'mean', tokensKept: hashKey(Array.from(tokensKept)) };
      const stored = await stage(`attention-bigrams-${name}`, keyParts, async () => {
        const tick = progress(`attention-weighted K_2 of ${name}`, 1);
        const m = await model(name);
        const layers = layer === undefined ? undefined : [layer];
        const matrix = await attentionWeightedBigrams(config, m.weights, d.trainIds, { ...probe, tokensKept, layers });
        tick();
        return { matrix };
      });
      return stored.matrix;
    });

  return {
    ep,
    config: async () => (await setup()).config,
    model,
    validation,
    initVariant,
    initVariantInit,
    projectedAsymmetry,
    attentionWeightedBigrams: attentionBigrams,
    loadImports: async () => {
      for (const source of imported.values()) await importedWeights(source);
    },
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
