/**
 * Training a GPT through onnxruntime-node: one ONNX graph per step (forward, gradients, clipping,
 * AdamW; src/model/train-graph.ts), deterministic batches, a learning-rate schedule fed per step,
 * checkpoints that an interrupted run resumes from, and a stop with the step and tensor named when
 * the loss or the gradients go NaN or infinite.
 *
 * Determinism: the batches depend only on (data, seed, step) and the initial weights are the
 * caller's; on the CPU EP the same inputs give bit-identical losses and weights, and a resumed run
 * ends with the same weights as an uninterrupted one. On WebGPU, see GPU_REPEAT_TOLERANCE.
 */
import { createHash } from 'node:crypto';
import ort from 'onnxruntime-node';
import { type GptConfig, parameterShapes, validateConfig } from '../model/config.js';
import { TOKEN_ID_TYPE } from '../model/gpt-graph.js';
import {
  type AdamWConfig,
  ADAMW_DEFAULTS,
  FROZEN_SETS,
  TRAIN_IO,
  buildDiagnosticGraph,
  buildTrainStepGraph,
  serializeTrainGraph,
} from '../model/train-graph.js';
import { type ModelWeights, assertWeightsMatch } from '../model/weights.js';
import { UserError } from '../core/errors.js';
import { type EpRequest, type ExecutionProvider, resolveExecutionProvider } from '../runtime/execution-providers.js';
import { type Batch, type BatchSource, checkTokenIds, tokenStreamBatches } from './batches.js';
import { checkpointFromState, listCheckpoints, readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { learningRateAt } from './schedule.js';
import { DeviceStepRunner, HostStepRunner, type OptimizerState, type StepRunner } from './step-runner.js';

export interface StepInfo {
  /** 0-based index of the update just made */
  step: number;
  /** mean loss of the batch before the update */
  loss: number;
  /** gradient norm before clipping */
  gradNorm: number;
  lr: number;
  /** wall time of this step */
  ms: number;
}

export interface TrainOptions {
  /** total updates of the run (also the length of the cosine decay) */
  steps: number;
  batchSize: number;
  /** T, at most config.blockSize */
  seqLen: number;
  /** peak learning rate */
  lr: number;
  /** warm-up steps */
  warmup: number;
  /** floor of the cosine decay (default lr / 10) */
  minLr?: number;
  /** parameter names without updates, or a named set of FROZEN_SETS ('none', 'sft', 'embeddings') */
  frozen?: string | readonly string[];
  /** seeds the batch sampler (the initial weights are the caller's) */
  seed: number;
  adamw?: Partial<AdamWConfig>;
  /** write a checkpoint every `checkpointEvery` steps and at the end; resume from the newest one */
  checkpointDir?: string;
  /** default 100 */
  checkpointEvery?: number;
  /** called after every step; an exception stops training (the last checkpoint stays) */
  onStep?: (info: StepInfo) => void | Promise<void>;
  /** execution provider (default 'cpu') */
  ep?: EpRequest;
  /** CPU EP threads (default: onnxruntime's choice) */
  threads?: number;
}

export interface TrainResult {
  /** every parameter after the last step */
  weights: ModelWeights;
  /** loss of each step (index = step), including steps done before a resume */
  losses: number[];
  gradNorms: number[];
  /** the checkpoint step this run resumed from, or null */
  resumedFrom: number | null;
  ep: ExecutionProvider;
  epReason: string;
  /** mean wall time of the steps this call ran, excluding the first (session warm-up) */
  msPerStep: number;
  /** wall time of each step this call ran */
  stepMs: number[];
}

/**
 * How far two WebGPU runs with the same seed may differ, relative to the loss at each step. The
 * embedding gradients are scatter-adds, which WebGPU performs with atomic compare-and-swap loops
 * in no fixed order, so float32 sums change in their last bits between runs; on Mesa's lavapipe
 * 12 steps of a tiny model differed by at most 2.4e-7 in loss and 2.8e-7 in any weight. Long runs
 * amplify such differences, so the zoo's claims are judged against their own tolerances, not this.
 */
export const GPU_REPEAT_TOLERANCE = 1e-5;

/** Training stopped because the loss or a gradient became NaN or infinite. */
export class TrainingDivergedError extends Error {
  constructor(
    /** 0-based step whose loss or gradient norm was not finite */
    readonly step: number,
    /** name of the first non-finite tensor found, e.g. 'blocks.0.mlp.0.weight' or 'grad.ln_f.bias' */
    readonly tensor: string,
    readonly detail: string,
  ) {
    super(`training diverged at step ${step}: ${detail}`);
    this.name = 'TrainingDivergedError';
  }
}

export async function train(
  config: GptConfig,
  initialWeights: ModelWeights,
  data: ArrayLike<number> | BatchSource,
  options: TrainOptions,
): Promise<TrainResult> {
  validateConfig(config);
  assertWeightsMatch(config, initialWeights);
  validateOptions(config, options);
  const frozen = resolveFrozen(options.frozen);
  const batches = isBatchSource(data) ? data : tokenStreamBatches(data, options.seed);
  const schedule = { lr: options.lr, warmup: options.warmup, steps: options.steps, minLr: options.minLr ?? options.lr / 10 };
  const adamw = { ...ADAMW_DEFAULTS, ...options.adamw };
  const graphOptions = { batchSize: options.batchSize, seqLen: options.seqLen, frozen, adamw };
  const fingerprint = runFingerprint(config, initialWeights, batches, options, schedule, adamw, frozen);

  const built = buildTrainStepGraph(config, graphOptions);
  const { trainable } = built;
  const shapes = new Map(parameterShapes(config).map((p) => [p.name, p.shape]));

  // start from the newest checkpoint of this run, if any
  let weights = initialWeights;
  // (runners never write into the arrays they are given: the caller's weights stay as they are)
  let state: OptimizerState = {
    params: new Map(trainable.map((n) => [n, initialWeights.get(n)!.data])),
    m: new Map(trainable.map((n) => [n, new Float32Array(initialWeights.get(n)!.data.length)])),
    v: new Map(trainable.map((n) => [n, new Float32Array(initialWeights.get(n)!.data.length)])),
  };
  let startStep = 0;
  let losses: number[] = [];
  let gradNorms: number[] = [];
  let resumedFrom: number | null = null;
  const latest = options.checkpointDir === undefined ? undefined : listCheckpoints(options.checkpointDir).pop();
  if (latest !== undefined) {
    const checkpoint = readCheckpoint(latest.path, config, trainable);
    if (checkpoint.fingerprint !== fingerprint) {
      throw new UserError(
        `${latest.path}: this checkpoint belongs to a run with other settings, data or initial weights ` +
          `(fingerprint ${checkpoint.fingerprint}, this run ${fingerprint}); use another checkpoint directory or delete it`,
      );
    }
    weights = checkpoint.weights;
    state = { params: new Map(trainable.map((n) => [n, checkpoint.weights.get(n)!.data])), m: checkpoint.m, v: checkpoint.v };
    ({ step: startStep, losses, gradNorms } = checkpoint);
    resumedFrom = checkpoint.step;
  }

  const resolved = await resolveExecutionProvider(options.ep ?? 'cpu');
  const setup = { model: serializeTrainGraph(built, weights), trainable, shapes, batchSize: options.batchSize, seqLen: options.seqLen, initial: state };
  // WebGPU keeps the state on the GPU between steps; on the CUDA EP the state goes through host
  // memory each step (device-resident state is not done there: no CUDA provider to test it with)
  const runner: StepRunner =
    resolved.ep === 'webgpu'
      ? await DeviceStepRunner.create(setup, 'webgpu')
      : await HostStepRunner.create(setup, { ep: resolved.ep, threads: options.threads });

  const frozenWeights = weights;
  const saveCheckpoint = async (step: number): Promise<void> => {
    if (options.checkpointDir === undefined) return;
    const current = await runner.snapshot();
    const bad = firstNonFinite(current.params);
    if (bad !== null) throw new TrainingDivergedError(step - 1, bad.name, `parameter '${bad.name}' ${bad.what} after the update`);
    writeCheckpoint(options.checkpointDir, config, checkpointFromState(step, current, frozenWeights, losses, gradNorms, fingerprint, config));
  };

  const stepTimes: number[] = [];
  try {
    for (let step = startStep; step < options.steps; step++) {
      const batch = batches.batch(step, options.batchSize, options.seqLen);
      checkTokenIds(batch, config.vocabSize, step);
      const lr = learningRateAt(step, schedule);
      const started = performance.now();
      const { loss, gradNorm } = await runner.step(batch, lr, step + 1);
      const ms = performance.now() - started;
      if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
        throw await diagnoseDivergence(config, graphOptions, frozenWeights, await runner.snapshot(), batch, step, startStep, { loss, gradNorm });
      }
      stepTimes.push(ms);
      losses.push(loss);
      gradNorms.push(gradNorm);
      if (options.onStep !== undefined) await options.onStep({ step, loss, gradNorm, lr, ms });
      const done = step + 1;
      if (done < options.steps && done % (options.checkpointEvery ?? 100) === 0) await saveCheckpoint(done);
    }
    const final = await runner.snapshot();
    const bad = firstNonFinite(final.params);
    if (bad !== null) {
      throw new TrainingDivergedError(options.steps - 1, bad.name, `parameter '${bad.name}' ${bad.what} after the last update`);
    }
    if (startStep < options.steps) await saveCheckpoint(options.steps);
    const result: ModelWeights = new Map();
    for (const { name, shape } of parameterShapes(config)) {
      result.set(name, { shape: [...shape], data: Float32Array.from(final.params.get(name) ?? frozenWeights.get(name)!.data) });
    }
    const timed = stepTimes.length > 1 ? stepTimes.slice(1) : stepTimes;
    return {
      weights: result,
      losses,
      gradNorms,
      resumedFrom,
      ep: resolved.ep,
      epReason: resolved.reason,
      msPerStep: timed.length > 0 ? timed.reduce((a, b) => a + b, 0) / timed.length : 0,
      stepMs: stepTimes,
    };
  } finally {
    await runner.release();
  }
}

/**
 * Name the first non-finite tensor behind a non-finite loss or gradient norm at `step`: a
 * parameter that the previous update (or the caller) made non-finite; else the first value of the
 * forward or backward pass that is not finite, found by running the gradients graph with every
 * value as an output on the CPU, with the same inputs.
 */
async function diagnoseDivergence(
  config: GptConfig,
  graphOptions: Parameters<typeof buildDiagnosticGraph>[1],
  frozenWeights: ModelWeights,
  state: OptimizerState,
  batch: Batch,
  step: number,
  startStep: number,
  result: { loss: number; gradNorm: number },
): Promise<TrainingDivergedError> {
  const what = `loss ${result.loss}, gradient norm ${result.gradNorm}`;
  const params = new Map(state.params);
  for (const [name, tensor] of frozenWeights) if (!params.has(name)) params.set(name, tensor.data);
  const badParam = firstNonFinite(params);
  if (badParam !== null) {
    const origin = step === startStep ? (startStep === 0 ? 'in the initial weights' : 'in the checkpoint resumed from') : `after the update of step ${step - 1}`;
    return new TrainingDivergedError(step, badParam.name, `${what}; parameter '${badParam.name}' ${badParam.what} ${origin}`);
  }
  const built = buildDiagnosticGraph(config, graphOptions);
  const session = await ort.InferenceSession.create(serializeTrainGraph(built, frozenWeights), { executionProviders: ['cpu'], logSeverityLevel: 3 });
  try {
    const feeds: Record<string, ort.Tensor> = {
      [TRAIN_IO.tokens]: new ort.Tensor(TOKEN_ID_TYPE, batch.tokens, [graphOptions.batchSize, graphOptions.seqLen]),
      [TRAIN_IO.targets]: new ort.Tensor(TOKEN_ID_TYPE, batch.targets, [graphOptions.batchSize, graphOptions.seqLen]),
    };
    const shapes = new Map(parameterShapes(config).map((p) => [p.name, p.shape]));
    for (const name of built.trainable) feeds[name] = new ort.Tensor('float32', state.params.get(name)!, shapes.get(name)!);
    const out = await session.run(feeds);
    for (const { value, node, phase } of built.trace) {
      const bad = firstNonFinite(new Map([[value, out[value].data as Float32Array]]));
      if (bad !== null) {
        const where = phase === 'forward' ? 'in the forward pass' : 'in the backward pass';
        return new TrainingDivergedError(step, value, `${what}; parameters are finite; the first non-finite value ${where} is '${value}', output of ${node.opType} node '${node.name}', which ${bad.what}`);
      }
    }
  } finally {
    await session.release();
  }
  return new TrainingDivergedError(step, TRAIN_IO.lossMean, `${what}, yet every parameter and every value of the graph recomputed on the CPU is finite`);
}

function firstNonFinite(tensors: Map<string, Float32Array>): { name: string; what: string } | null {
  for (const [name, data] of tensors) {
    let count = 0;
    let first = -1;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        if (first < 0) first = i;
        count++;
      }
    }
    if (count > 0) return { name, what: `holds ${count} non-finite value(s) (first at flat index ${first}: ${data[first]})` };
  }
  return null;
}

function resolveFrozen(frozen: TrainOptions['frozen']): string[] {
  if (frozen === undefined) return [];
  if (typeof frozen === 'string') {
    const set = FROZEN_SETS[frozen];
    if (set === undefined) throw new UserError(`frozen: unknown set '${frozen}' (known: ${Object.keys(FROZEN_SETS).join(', ')})`);
    return [...set];
  }
  return [...frozen];
}

function validateOptions(config: GptConfig, options: TrainOptions): void {
  const positiveInteger = (field: string, value: number): void => {
    if (!Number.isInteger(value) || value < 1) throw new UserError(`training option ${field} must be a positive integer, got ${value}`);
  };
  positiveInteger('steps', options.steps);
  positiveInteger('batchSize', options.batchSize);
  positiveInteger('seqLen', options.seqLen);
  if (options.checkpointEvery !== undefined) positiveInteger('checkpointEvery', options.checkpointEvery);
  if (options.seqLen > config.blockSize) throw new UserError(`training option seqLen ${options.seqLen} exceeds the model's block size ${config.blockSize}`);
  if (!Number.isInteger(options.warmup) || options.warmup < 0) throw new UserError(`training option warmup must be an integer >= 0, got ${options.warmup}`);
  for (const [field, value] of [['lr', options.lr], ['minLr', options.minLr ?? 0]] as const) {
    if (!Number.isFinite(value) || value < 0) throw new UserError(`training option ${field} must be a finite number >= 0, got ${value}`);
  }
}

function isBatchSource(data: ArrayLike<number> | BatchSource): data is BatchSource {
  return typeof (data as BatchSource).batch === 'function';
}

/** Everything that determines the run's trajectory: a resumed run must match it. */
function runFingerprint(
  config: GptConfig,
  weights: ModelWeights,
  batches: BatchSource,
  options: TrainOptions,
  schedule: object,
  adamw: AdamWConfig,
  frozen: string[],
): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ config, batches: batches.id, batchSize: options.batchSize, seqLen: options.seqLen, seed: options.seed, schedule, adamw, frozen }));
  for (const { name } of parameterShapes(config)) {
    const data = weights.get(name)!.data;
    hash.update(name).update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return hash.digest('hex').slice(0, 32);
}
