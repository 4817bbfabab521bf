/**
 * Training graphs of the GPT: the forward graph of gpt-graph.ts, its gradients from autodiff.ts
 * and, for the training step, global-norm gradient clipping and AdamW, all in one ONNX graph.
 *
 *   gradients graph   idx, targets, parameters                 -> loss_mean, grad.<name>
 *   train-step graph  idx, targets, lr, step, parameters,      -> loss_mean, grad_norm,
 *                     adam.m.<name>, adam.v.<name>                next.<name>, next.adam.m.<name>,
 *                                                                 next.adam.v.<name>
 *
 * Only trainable parameters have moments and `next.` outputs. Frozen parameters are written into
 * the file as initializers (their values are needed at build time), so they cannot change and no
 * gradient is computed for them. The learning rate (warm-up and cosine decay: src/train/schedule.ts)
 * and the 1-based update count `step` (for Adam's bias correction) are scalar inputs.
 *
 * AdamW as in PyTorch (decoupled weight decay): with g the clipped gradient and t = step,
 *   m <- b1 m + (1 - b1) g;   v <- b2 v + (1 - b2) g^2
 *   p <- p (1 - lr wd) - lr / (1 - b1^t) * m / (sqrt(v / (1 - b2^t)) + eps)
 * Weight decay applies to matrices only (rank >= 2: every Linear weight and both embeddings, as in
 * nanoGPT); biases and LayerNorm parameters are not decayed. Clipping scales all gradients by
 * maxNorm / max(norm, maxNorm), i.e. min(1, maxNorm / norm), PyTorch's clip_grad_norm_ without its
 * 1e-6 in the denominator. No `next.` output is an input passed through (no aliasing Identity), so
 * outputs can be fed back as the next step's inputs on a GPU.
 */
import { appendGradients } from './autodiff.js';
import { type GptConfig, parameterShapes } from './config.js';
import { GPT_IO, buildGptGraph } from './gpt-graph.js';
import { type GraphBuilder, type GraphNode, attr, serializeGraph } from './onnx-builder.js';
import type { ShapeMap } from './shape-inference.js';
import type { ModelWeights } from './weights.js';

export interface AdamWConfig {
  beta1: number;
  beta2: number;
  eps: number;
  /** decoupled weight decay, applied to matrices (rank >= 2) only */
  weightDecay: number;
  /** global gradient norm above which gradients are scaled down to it */
  maxGradNorm: number;
}

export const ADAMW_DEFAULTS: Readonly<AdamWConfig> = {
  beta1: 0.9,
  beta2: 0.95,
  eps: 1e-8,
  weightDecay: 0.1,
  maxGradNorm: 1.0,
};

/** Names of the training graphs' inputs and outputs. */
export const TRAIN_IO = {
  tokens: GPT_IO.tokens,
  targets: GPT_IO.targets,
  /** float32 scalar: this step's learning rate */
  lr: 'lr',
  /** float32 scalar: 1-based number of this update (Adam's bias correction) */
  step: 'step',
  /** float32 scalar: mean cross-entropy over the batch (before the update) */
  lossMean: 'loss_mean',
  /** float32 scalar: global L2 norm of the gradients before clipping */
  gradNorm: 'grad_norm',
  grad: (name: string): string => `grad.${name}`,
  adamM: (name: string): string => `adam.m.${name}`,
  adamV: (name: string): string => `adam.v.${name}`,
  next: (name: string): string => `next.${name}`,
} as const;

/**
 * Named frozen-parameter sets. 'sft' follows Paper 51 ("frozen token embeddings ... SFT on the
 * remaining parameters"): only the token embedding (also the tied output projection) is frozen;
 * position embeddings are not crystallized and train with the rest. 'embeddings' freezes both
 * embeddings, the other reading of "everything but the embeddings".
 */
export const FROZEN_SETS: Readonly<Record<string, readonly string[]>> = {
  none: [],
  sft: ['tok_emb.weight'],
  embeddings: ['tok_emb.weight', 'pos_emb.weight'],
};

export interface TrainGraphOptions {
  batchSize: number;
  seqLen: number;
  /** parameter names without updates (default none) */
  frozen?: Iterable<string>;
  adamw?: Partial<AdamWConfig>;
}

export interface TrainGraph {
  graph: GraphBuilder;
  /** parameters with gradients (and, in the train-step graph, updates), in state_dict order */
  trainable: string[];
  frozen: string[];
}

/** Split the config's parameters into trainable and frozen; unknown frozen names are an error. */
export function splitParameters(config: GptConfig, frozen: Iterable<string> = []): { trainable: string[]; frozen: string[] } {
  const names = parameterShapes(config).map((p) => p.name);
  const frozenSet = new Set(frozen);
  for (const name of frozenSet) {
    if (!names.includes(name)) throw new Error(`frozen parameter '${name}' is not a parameter of the model`);
  }
  const trainable = names.filter((n) => !frozenSet.has(n));
  if (trainable.length === 0) throw new Error('every parameter is frozen: nothing to train');
  return { trainable, frozen: names.filter((n) => frozenSet.has(n)) };
}

/** Forward graph plus the mean loss and the gradient of every trainable parameter. */
export function buildGradientGraph(
  config: GptConfig,
  options: TrainGraphOptions,
): TrainGraph & { gradients: Map<string, string>; shapes: ShapeMap; forwardNodeCount: number } {
  const { trainable, frozen } = splitParameters(config, options.frozen);
  const g = buildGptGraph(config, { seqLen: options.seqLen, batchSize: options.batchSize });
  g.clearOutputs(); // no (B, T, V) logits out of a training graph
  const lossMean = g.op('ReduceMean', [GPT_IO.loss], { keepdims: attr.int(0) }, { output: TRAIN_IO.lossMean }); // ()
  const forwardNodeCount = g.nodes.length;
  const { gradients, shapes } = appendGradients(g, lossMean, trainable);
  g.output(TRAIN_IO.lossMean, 'float32', []);
  return { graph: g, trainable, frozen, gradients, shapes, forwardNodeCount };
}

/** A value of the diagnostic graph, in the order the graph computes them. */
export interface TracedValue {
  value: string;
  node: GraphNode;
  phase: 'forward' | 'backward';
}

/**
 * The gradients graph with every float value it computes as an output, to find where a NaN or an
 * infinity first appears. Large (every activation is kept): for diagnosing a failed step only.
 */
export function buildDiagnosticGraph(config: GptConfig, options: TrainGraphOptions): TrainGraph & { trace: TracedValue[] } {
  const built = buildGradientGraph(config, options);
  const { graph: g, shapes } = built;
  const trace: TracedValue[] = [];
  const declared = new Set(g.outputs.map((o) => o.name));
  g.nodes.forEach((node, index) => {
    for (const value of node.outputs) {
      const type = shapes.get(value);
      if (type === undefined || type.elementType !== 'float32') continue;
      trace.push({ value, node, phase: index < built.forwardNodeCount ? 'forward' : 'backward' });
      if (!declared.has(value)) g.output(value, 'float32', type.shape);
      declared.add(value);
    }
  });
  return { graph: g, trainable: built.trainable, frozen: built.frozen, trace };
}

/** The gradients graph with `grad.<name>` outputs (for checks and for naming a non-finite gradient). */
export function buildGradientsOnlyGraph(config: GptConfig, options: TrainGraphOptions): TrainGraph {
  const built = buildGradientGraph(config, options);
  const { graph: g, gradients } = built;
  for (const name of built.trainable) {
    const shape = parameterShape(config, name);
    g.op('Identity', [gradients.get(name)!], {}, { output: TRAIN_IO.grad(name) });
    g.output(TRAIN_IO.grad(name), 'float32', shape);
  }
  return { graph: g, trainable: built.trainable, frozen: built.frozen };
}

/** One training step: loss and gradients, clipping, AdamW. */
export function buildTrainStepGraph(config: GptConfig, options: TrainGraphOptions): TrainGraph {
  const adamw = { ...ADAMW_DEFAULTS, ...options.adamw };
  const built = buildGradientGraph(config, options);
  const { graph: g, gradients, trainable } = built;
  const lr = g.input(TRAIN_IO.lr, 'float32', []);
  const step = g.input(TRAIN_IO.step, 'float32', []);
  const scalar = (v: number): string => g.scalar(v);
  const op = (type: string, ...inputs: string[]): string => g.op(type, inputs);

  g.scope('optimizer', () => {
    // global gradient norm and the clip factor min(1, maxNorm / norm)
    const squares = trainable.map((name) => g.op('ReduceSumSquare', [gradients.get(name)!], { keepdims: attr.int(0) }));
    const norm = g.op('Sqrt', [squares.reduce((a, b) => op('Add', a, b))], {}, { output: TRAIN_IO.gradNorm }); // ()
    const maxNorm = scalar(adamw.maxGradNorm);
    const clip = op('Div', maxNorm, op('Max', norm, maxNorm)); // ()

    // Per-step scalars, so that each element sees as few passes as possible (13 per parameter):
    // the clip factor goes into the moments' coefficients, and with c2 = 1 - b2^t,
    //   lr / (1 - b1^t) * m / (sqrt(v / c2) + eps) = [lr sqrt(c2) / (1 - b1^t)] * m / (sqrt(v) + eps sqrt(c2))
    const gradCoefficient = op('Mul', clip, scalar(1 - adamw.beta1)); // (1 - b1) clip
    const squareCoefficient = op('Mul', op('Mul', clip, clip), scalar(1 - adamw.beta2)); // (1 - b2) clip^2
    const sqrtCorrection2 = op('Sqrt', op('Sub', scalar(1), op('Pow', scalar(adamw.beta2), step)));
    const stepSize = op('Div', op('Mul', lr, sqrtCorrection2), op('Sub', scalar(1), op('Pow', scalar(adamw.beta1), step)));
    const epsilon = op('Mul', scalar(adamw.eps), sqrtCorrection2);
    const decayFactor = op('Sub', scalar(1), op('Mul', lr, scalar(adamw.weightDecay)));

    for (const name of trainable) {
      g.scope(`optimizer/${name}`, () => {
        const shape = parameterShape(config, name);
        const m = g.input(TRAIN_IO.adamM(name), 'float32', shape);
        const v = g.input(TRAIN_IO.adamV(name), 'float32', shape);
        const grad = gradients.get(name)!; // unclipped
        const nextM = g.op('Add', [op('Mul', m, scalar(adamw.beta1)), op('Mul', grad, gradCoefficient)], {}, { output: TRAIN_IO.next(TRAIN_IO.adamM(name)) });
        const nextV = g.op('Add', [op('Mul', v, scalar(adamw.beta2)), op('Mul', op('Mul', grad, grad), squareCoefficient)], {}, { output: TRAIN_IO.next(TRAIN_IO.adamV(name)) });
        const update = op('Mul', op('Div', nextM, op('Add', op('Sqrt', nextV), epsilon)), stepSize);
        const decayed = shape.length >= 2 && adamw.weightDecay !== 0 ? op('Mul', name, decayFactor) : name;
        g.op('Sub', [decayed, update], {}, { output: TRAIN_IO.next(name) });
        g.output(TRAIN_IO.next(name), 'float32', shape);
        g.output(TRAIN_IO.next(TRAIN_IO.adamM(name)), 'float32', shape);
        g.output(TRAIN_IO.next(TRAIN_IO.adamV(name)), 'float32', shape);
      });
    }
    g.output(TRAIN_IO.gradNorm, 'float32', []);
  });
  return { graph: g, trainable, frozen: built.frozen };
}

/**
 * Serialize a training graph: trainable parameters as inputs, frozen ones as initializers with
 * their values from `weights`. 'float64' is for gradient checks on the CPU EP only.
 */
export function serializeTrainGraph(
  built: TrainGraph,
  weights: ModelWeights,
  options: { floatType?: 'float32' | 'float64' } = {},
): Uint8Array {
  return serializeGraph(built.graph, {
    parametersAs: 'inputs',
    initializerParameters: new Set(built.frozen),
    weights,
    floatType: options.floatType,
    docString: `GPT training graph; frozen parameters: ${built.frozen.length > 0 ? built.frozen.join(', ') : 'none'}`,
  });
}

function parameterShape(config: GptConfig, name: string): number[] {
  const p = parameterShapes(config).find((q) => q.name === name);
  if (p === undefined) throw new Error(`no parameter '${name}'`);
  return p.shape;
}
