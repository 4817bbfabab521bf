/**
 * Reverse-mode gradients of a GraphBuilder graph, appended to the same graph: the backward pass is
 * derived node by node from one gradient rule per op type, so the model is defined once (the
 * forward graph) and training differentiates exactly what inference runs.
 *
 * Every rule emits only ops that the WebGPU execution provider runs on the GPU (WEBGPU_DEVICE_OPS
 * in src/runtime): gradients of broadcasts are ReduceSum + Reshape, zero tensors are Expand of a
 * scalar, embedding and GatherElements gradients are ScatterElements with reduction 'add' (not
 * ScatterND, whose indices must be int64: int64 index ops run on the CPU under WebGPU), a Slice's
 * gradient is a Concat with zero blocks (no Pad), contributions to one value are summed with Add
 * (no Sum).
 *
 * Two local optimizations keep the backward pass close to what a hand-written one would cost:
 * slices that tile one tensor (q, k, v of the fused c_attn) get one Concat of their gradients, and
 * GatherElements of a Softmax (the cross-entropy) gets one fused gradient instead of two rules in
 * turn. Both are checked against finite differences like every rule.
 *
 * Shapes come from static shape inference, so the graph must have fixed sizes (a training graph is
 * built for one batch size and sequence length).
 */
import { type GraphBuilder, type GraphNode, attr } from './onnx-builder.js';
import {
  type ShapeMap,
  inferNode,
  inferShapes,
  normalizeAxis,
  reduction,
  sliceRanges,
  transposePerm,
} from './shape-inference.js';

/** What a gradient rule works with. */
export interface GradientContext {
  g: GraphBuilder;
  /** static shape of a forward value */
  shape(value: string): number[];
  /** sum `grad` (of shape `from`) over broadcast axes so that it has shape `to` */
  reduceTo(grad: string, from: readonly number[], to: readonly number[]): string;
  /** a float tensor of zeros of `shape` (Expand of a scalar: no large constant in the file) */
  zeros(shape: readonly number[]): string;
}

/**
 * A rule gets the node, the gradient of its (single) output and which inputs need a gradient; it
 * returns the gradient of each input (null for inputs that need none).
 */
export type GradientRule = (
  ctx: GradientContext,
  node: GraphNode,
  outputGrad: string,
  needed: readonly boolean[],
) => (string | null)[];

interface RuleEntry {
  /** indices of the inputs gradients can flow into (others are indices, shapes, masks) */
  differentiable: (node: GraphNode) => number[];
  rule: GradientRule;
}

const firstInput = (): number[] => [0];
const allInputs = (node: GraphNode): number[] => node.inputs.map((_, i) => i);

const intAttr = (node: GraphNode, name: string, fallback: number): number => {
  const a = node.attributes[name];
  return a !== undefined && a.type === 'int' ? a.value : fallback;
};
const floatAttr = (node: GraphNode, name: string, fallback: number): number => {
  const a = node.attributes[name];
  return a !== undefined && a.type === 'float' ? a.value : fallback;
};

/** Swap the last two axes (for MatMul gradients). */
function transposeLastTwo(g: GraphBuilder, value: string, rank: number): string {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return g.op('Transpose', [value], { perm: attr.ints(perm) });
}

/** Gradient rules by op type. */
export const GRADIENT_RULES: Readonly<Record<string, RuleEntry>> = {
  Identity: { differentiable: firstInput, rule: (_c, _n, gy) => [gy] },

  // y = a + b, a - b: the gradient flows to both, summed over the axes each was broadcast along
  Add: {
    differentiable: allInputs,
    rule: ({ reduceTo, shape }, n, gy, need) => {
      const y = shape(n.outputs[0]);
      return [need[0] ? reduceTo(gy, y, shape(n.inputs[0])) : null, need[1] ? reduceTo(gy, y, shape(n.inputs[1])) : null];
    },
  },
  Sub: {
    differentiable: allInputs,
    rule: ({ g, reduceTo, shape }, n, gy, need) => {
      const y = shape(n.outputs[0]);
      return [
        need[0] ? reduceTo(gy, y, shape(n.inputs[0])) : null,
        need[1] ? reduceTo(g.op('Neg', [gy]), y, shape(n.inputs[1])) : null,
      ];
    },
  },
  // y = a * b: da = gy * b, db = gy * a
  Mul: {
    differentiable: allInputs,
    rule: ({ g, reduceTo, shape }, n, gy, need) => {
      const [a, b] = n.inputs;
      const y = shape(n.outputs[0]);
      return [
        need[0] ? reduceTo(g.op('Mul', [gy, b]), y, shape(a)) : null,
        need[1] ? reduceTo(g.op('Mul', [gy, a]), y, shape(b)) : null,
      ];
    },
  },
  // y = a / b: da = gy / b, db = -gy * y / b
  Div: {
    differentiable: allInputs,
    rule: ({ g, reduceTo, shape }, n, gy, need) => {
      const [a, b] = n.inputs;
      const y = n.outputs[0];
      const gyOverB = g.op('Div', [gy, b]);
      return [
        need[0] ? reduceTo(gyOverB, shape(y), shape(a)) : null,
        need[1] ? reduceTo(g.op('Neg', [g.op('Mul', [gyOverB, y])]), shape(y), shape(b)) : null,
      ];
    },
  },
  Neg: { differentiable: firstInput, rule: ({ g }, _n, gy) => [g.op('Neg', [gy])] },
  // y = log x: dx = gy / x
  Log: { differentiable: firstInput, rule: ({ g }, n, gy) => [g.op('Div', [gy, n.inputs[0]])] },
  // y = exp x: dx = gy * y
  Exp: { differentiable: firstInput, rule: ({ g }, n, gy) => [g.op('Mul', [gy, n.outputs[0]])] },
  // y = sqrt x: dx = gy / (2 y)
  Sqrt: {
    differentiable: firstInput,
    rule: ({ g }, n, gy) => [g.op('Div', [g.op('Mul', [gy, g.scalar(0.5)]), n.outputs[0]])],
  },
  // y = 1 / x: dx = -gy y^2
  Reciprocal: {
    differentiable: firstInput,
    rule: ({ g }, n, gy) => {
      const y = n.outputs[0];
      return [g.op('Neg', [g.op('Mul', [gy, g.op('Mul', [y, y])])])];
    },
  },
  // y = tanh x: dx = gy (1 - y^2)
  Tanh: {
    differentiable: firstInput,
    rule: ({ g }, n, gy) => {
      const y = n.outputs[0];
      return [g.op('Mul', [gy, g.op('Sub', [g.scalar(1), g.op('Mul', [y, y])])])];
    },
  },
  // y = erf x: dx = gy 2/sqrt(pi) exp(-x^2)
  Erf: {
    differentiable: firstInput,
    rule: ({ g }, n, gy) => {
      const x = n.inputs[0];
      const density = g.op('Exp', [g.op('Neg', [g.op('Mul', [x, x])])]);
      return [g.op('Mul', [gy, g.op('Mul', [density, g.scalar(2 / Math.sqrt(Math.PI))])])];
    },
  },
  Gelu: { differentiable: firstInput, rule: (ctx, n, gy) => [geluGradient(ctx, n, gy)] },

  // y = softmax(x) along an axis: dx = y * (gy - sum(gy * y))
  Softmax: {
    differentiable: firstInput,
    rule: ({ g, shape }, n, gy) => {
      const y = n.outputs[0];
      const axis = normalizeAxis(intAttr(n, 'axis', -1), shape(y).length);
      const dot = g.op('ReduceSum', [g.op('Mul', [gy, y]), g.int64s([axis])], { keepdims: attr.int(1) });
      return [g.op('Mul', [y, g.op('Sub', [gy, dot])])];
    },
  },

  LayerNormalization: { differentiable: allInputs, rule: layerNormGradient },

  // Y = alpha op(A) op(B) + beta C, op = optional transpose; each gradient is one more Gemm
  Gemm: {
    differentiable: allInputs,
    rule: ({ g, reduceTo, shape }, n, gy, need) => {
      const [a, b, c] = n.inputs;
      const transA = intAttr(n, 'transA', 0);
      const transB = intAttr(n, 'transB', 0);
      const alpha = floatAttr(n, 'alpha', 1);
      const beta = floatAttr(n, 'beta', 1);
      const gemm = (x: string, y: string, tA: number, tB: number): string => {
        const attributes: Record<string, ReturnType<typeof attr.int>> = { transA: attr.int(tA), transB: attr.int(tB) };
        if (alpha !== 1) attributes.alpha = attr.float(alpha);
        return g.op('Gemm', [x, y], attributes);
      };
      // dA' = gY op(B)^T, dB' = op(A)^T gY, transposed back where A or B entered transposed
      const gradA = transA === 0 ? gemm(gy, b, 0, 1 - transB) : gemm(b, gy, transB, 1);
      const gradB = transB === 0 ? gemm(a, gy, 1 - transA, 0) : gemm(gy, a, 1, transA);
      let gradC: string | null = null;
      if (c !== undefined && c !== '' && need[2]) {
        const scaled = beta === 1 ? gy : g.op('Mul', [gy, g.scalar(beta)]);
        gradC = reduceTo(scaled, shape(n.outputs[0]), shape(c));
      }
      return [need[0] ? gradA : null, need[1] ? gradB : null, gradC];
    },
  },

  // Y = A @ B over broadcast batch axes: dA = gY @ B^T, dB = A^T @ gY, summed over broadcast axes
  MatMul: {
    differentiable: allInputs,
    rule: ({ g, reduceTo, shape }, n, gy, need) => {
      const [a, b] = n.inputs;
      const [sa, sb, sy] = [shape(a), shape(b), shape(n.outputs[0])];
      const out: (string | null)[] = [null, null];
      if (need[0]) {
        const grad = g.op('MatMul', [gy, transposeLastTwo(g, b, sb.length)]);
        out[0] = reduceTo(grad, [...sy.slice(0, -2), sa[sa.length - 2], sa[sa.length - 1]], sa);
      }
      if (need[1]) {
        const grad = g.op('MatMul', [transposeLastTwo(g, a, sa.length), gy]);
        out[1] = reduceTo(grad, [...sy.slice(0, -2), sb[sb.length - 2], sb[sb.length - 1]], sb);
      }
      return out;
    },
  },

  // Embedding lookup y = data[indices] along axis 0: scatter-add the rows of gy into a zero table.
  // ScatterElements wants indices of the updates' shape: each of the N looked-up rows repeats its
  // index across the row, (N, 1, ...) expanded to (N, ...rest).
  Gather: {
    differentiable: firstInput,
    rule: ({ g, shape, zeros }, n, gy) => {
      const [data, indices] = n.inputs;
      const dataShape = shape(data);
      if (normalizeAxis(intAttr(n, 'axis', 0), dataShape.length) !== 0) {
        throw new Error(`${n.name}: gradient of Gather is implemented for axis 0 only`);
      }
      const rows = shape(indices).reduce((a, b) => a * b, 1);
      const rest = dataShape.slice(1);
      const rowIndex = g.op('Reshape', [indices, g.int64s([rows, ...rest.map(() => 1)])]); // (N, 1, ...)
      const index = rest.length > 0 ? g.op('Expand', [rowIndex, g.int64s([rows, ...rest])]) : rowIndex; // (N, ...rest)
      const updates = g.op('Reshape', [gy, g.int64s([rows, ...rest])]); // (N, ...rest)
      return [g.op('ScatterElements', [zeros(dataShape), index, updates], { axis: attr.int(0), reduction: attr.string('add') })];
    },
  },
  GatherElements: {
    differentiable: firstInput,
    rule: ({ g, shape, zeros }, n, gy) => {
      const [data, indices] = n.inputs;
      const axis = normalizeAxis(intAttr(n, 'axis', 0), shape(data).length);
      return [
        g.op('ScatterElements', [zeros(shape(data)), indices, gy], {
          axis: attr.int(axis),
          reduction: attr.string('add'),
        }),
      ];
    },
  },

  Reshape: { differentiable: firstInput, rule: ({ g, shape }, n, gy) => [g.op('Reshape', [gy, g.int64s(shape(n.inputs[0]))])] },
  Unsqueeze: { differentiable: firstInput, rule: ({ g, shape }, n, gy) => [g.op('Reshape', [gy, g.int64s(shape(n.inputs[0]))])] },
  Squeeze: { differentiable: firstInput, rule: ({ g, shape }, n, gy) => [g.op('Reshape', [gy, g.int64s(shape(n.inputs[0]))])] },
  Expand: {
    differentiable: firstInput,
    rule: ({ reduceTo, shape }, n, gy) => [reduceTo(gy, shape(n.outputs[0]), shape(n.inputs[0]))],
  },
  Transpose: {
    differentiable: firstInput,
    rule: ({ g, shape }, n, gy) => {
      const perm = transposePerm(n, shape(n.inputs[0]).length);
      const inverse = perm.map((_, i) => perm.indexOf(i));
      return [g.op('Transpose', [gy], { perm: attr.ints(inverse) })];
    },
  },
  // The slice's gradient goes back into its place, with zero blocks before and after (Concat: the
  // WebGPU EP has no Pad)
  Slice: {
    differentiable: firstInput,
    rule: ({ g, shape, zeros }, n, gy) => {
      const inputShape = shape(n.inputs[0]);
      const current = [...shape(n.outputs[0])];
      let grad = gy;
      for (const { axis, start, end } of sliceRanges(g, n, inputShape)) {
        const block = (size: number): string => zeros(current.map((d, i) => (i === axis ? size : d)));
        const parts = [
          ...(start > 0 ? [block(start)] : []),
          grad,
          ...(end < inputShape[axis] ? [block(inputShape[axis] - end)] : []),
        ];
        if (parts.length > 1) grad = g.op('Concat', parts, { axis: attr.int(axis) });
        current[axis] = inputShape[axis];
      }
      return [grad];
    },
  },
  Concat: {
    differentiable: allInputs,
    rule: ({ g, shape }, n, gy, need) => {
      const axis = normalizeAxis(intAttr(n, 'axis', 0), shape(n.outputs[0]).length);
      let offset = 0;
      return n.inputs.map((input, i) => {
        const size = shape(input)[axis];
        const range = [offset, offset + size];
        offset += size;
        if (!need[i]) return null;
        return g.op('Slice', [gy, g.int64s([range[0]]), g.int64s([range[1]]), g.int64s([axis])]);
      });
    },
  },

  // Reductions: the gradient is broadcast back over the reduced axes (divided by their size for a mean)
  ReduceSum: { differentiable: firstInput, rule: (ctx, n, gy) => [reductionGradient(ctx, n, gy, 'sum')] },
  ReduceMean: { differentiable: firstInput, rule: (ctx, n, gy) => [reductionGradient(ctx, n, gy, 'mean')] },
  ReduceSumSquare: {
    differentiable: firstInput,
    rule: (ctx, n, gy) => {
      const spread = reductionGradient(ctx, n, gy, 'sum');
      return [ctx.g.op('Mul', [spread, ctx.g.op('Mul', [n.inputs[0], ctx.g.scalar(2)])])];
    },
  },

  // y = where(cond, a, b): the gradient goes to a where cond holds, to b elsewhere
  Where: {
    differentiable: (n) => [1, 2].filter((i) => i < n.inputs.length),
    rule: ({ g, reduceTo, shape }, n, gy, need) => {
      const [cond, a, b] = n.inputs;
      const y = shape(n.outputs[0]);
      const zero = g.scalar(0);
      return [
        null,
        need[1] ? reduceTo(g.op('Where', [cond, gy, zero]), y, shape(a)) : null,
        need[2] ? reduceTo(g.op('Where', [cond, zero, gy]), y, shape(b)) : null,
      ];
    },
  },
};

/** GELU: exact x Phi(x) (dy/dx = Phi(x) + x phi(x)) or the tanh approximation. */
function geluGradient({ g }: GradientContext, n: GraphNode, gy: string): string {
  const x = n.inputs[0];
  const approximate = n.attributes.approximate;
  const mul = (a: string, b: string): string => g.op('Mul', [a, b]);
  const add = (a: string, b: string): string => g.op('Add', [a, b]);
  const xSquared = mul(x, x);
  if (approximate !== undefined && approximate.type === 'string' && approximate.value === 'tanh') {
    // y = x/2 (1 + tanh u), u = sqrt(2/pi) (x + 0.044715 x^3)
    // dy/dx = (1 + t)/2 + x/2 (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2)
    const c = Math.sqrt(2 / Math.PI);
    const u = mul(add(x, mul(mul(xSquared, x), g.scalar(0.044715))), g.scalar(c));
    const t = g.op('Tanh', [u]);
    const half = mul(add(t, g.scalar(1)), g.scalar(0.5));
    const du = mul(add(mul(xSquared, g.scalar(3 * 0.044715)), g.scalar(1)), g.scalar(c));
    const sech2 = g.op('Sub', [g.scalar(1), mul(t, t)]);
    return mul(gy, add(half, mul(mul(mul(x, g.scalar(0.5)), sech2), du)));
  }
  const cdf = mul(add(g.op('Erf', [mul(x, g.scalar(Math.SQRT1_2))]), g.scalar(1)), g.scalar(0.5)); // Phi(x)
  const density = mul(g.op('Exp', [mul(xSquared, g.scalar(-0.5))]), g.scalar(1 / Math.sqrt(2 * Math.PI))); // phi(x)
  return mul(gy, add(cdf, mul(x, density)));
}

/**
 * LayerNormalization over the last axis, y = xhat * w + b with xhat = (x - mean) * rstd. The
 * forward keeps the fused op; the backward recomputes mean and rstd from x:
 *   dxhat = gy * w;   dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
 *   dw = sum over rows of gy * xhat;   db = sum over rows of gy
 */
function layerNormGradient(ctx: GradientContext, n: GraphNode, gy: string, need: readonly boolean[]): (string | null)[] {
  const { g, shape, reduceTo } = ctx;
  const [x, w, b] = n.inputs;
  const xShape = shape(x);
  const rank = xShape.length;
  if (normalizeAxis(intAttr(n, 'axis', -1), rank) !== rank - 1) {
    throw new Error(`${n.name}: gradient of LayerNormalization is implemented for the last axis only`);
  }
  const epsilon = floatAttr(n, 'epsilon', 1e-5);
  const lastAxis = g.int64s([-1]);
  const rowMean = (v: string): string => g.op('ReduceMean', [v, lastAxis], { keepdims: attr.int(1) });

  const centered = g.op('Sub', [x, rowMean(x)]);
  const variance = rowMean(g.op('Mul', [centered, centered]));
  const rstd = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [variance, g.scalar(epsilon)])])]);
  const xhat = g.op('Mul', [centered, rstd]);

  let gradX: string | null = null;
  if (need[0]) {
    const gradXhat = g.op('Mul', [gy, w]);
    const projection = g.op('Mul', [xhat, rowMean(g.op('Mul', [gradXhat, xhat]))]);
    gradX = g.op('Mul', [rstd, g.op('Sub', [g.op('Sub', [gradXhat, rowMean(gradXhat)]), projection])]);
  }
  const gradW = need[1] ? reduceTo(g.op('Mul', [gy, xhat]), xShape, shape(w)) : null;
  const gradB = need[2] && b !== undefined && b !== '' ? reduceTo(gy, xShape, shape(b)) : null;
  return [gradX, gradW, gradB];
}

function reductionGradient(ctx: GradientContext, n: GraphNode, gy: string, kind: 'sum' | 'mean'): string {
  const { g, shape } = ctx;
  const inputShape = shape(n.inputs[0]);
  const { axes } = reduction(g, n, inputShape.length);
  const keptShape = inputShape.map((d, i) => (axes.includes(i) ? 1 : d));
  let grad = g.op('Expand', [g.op('Reshape', [gy, g.int64s(keptShape)]), g.int64s(inputShape)]);
  if (kind === 'mean') {
    const count = axes.reduce((p, a) => p * inputShape[a], 1);
    grad = g.op('Mul', [grad, g.scalar(1 / count)]);
  }
  return grad;
}

export interface GradientResult {
  /** parameter or input name -> name of its gradient value (same shape) */
  gradients: Map<string, string>;
  /** shapes of every forward and backward value */
  shapes: ShapeMap;
}

/**
 * Append to `g` the gradient of the scalar `loss` with respect to each of `wrt` (parameters or
 * float inputs). Only nodes on a path from some `wrt` to the loss get backward nodes. Throws for an
 * op without a rule on that path and for a `wrt` that does not affect the loss.
 */
export function appendGradients(g: GraphBuilder, loss: string, wrt: readonly string[]): GradientResult {
  const shapes = inferShapes(g);
  const lossType = shapes.get(loss);
  if (lossType === undefined) throw new Error(`appendGradients: no value '${loss}'`);
  if (lossType.shape.some((d) => d !== 1)) throw new Error(`appendGradients: loss '${loss}' is not a scalar (shape (${lossType.shape}))`);
  const forwardNodes = [...g.nodes];

  // values that depend on some wrt through differentiable inputs
  const dependsOnWrt = new Set(wrt);
  for (const node of forwardNodes) {
    const entry = GRADIENT_RULES[node.opType];
    const inputs = entry === undefined ? node.inputs.map((_, i) => i) : entry.differentiable(node);
    if (inputs.some((i) => dependsOnWrt.has(node.inputs[i])) && node.outputs.every((o) => shapes.get(o)?.elementType === 'float32')) {
      for (const o of node.outputs) dependsOnWrt.add(o);
    }
  }
  // values the loss depends on
  const feedsLoss = new Set([loss]);
  for (let i = forwardNodes.length - 1; i >= 0; i--) {
    const node = forwardNodes[i];
    if (node.outputs.some((o) => feedsLoss.has(o))) for (const input of node.inputs) feedsLoss.add(input);
  }

  // For a GatherElements reading one element per row of a Softmax's output along the softmax axis,
  // where nothing else reads that output: the Softmax's input (the two get one fused gradient),
  // else null.
  const consumers = new Map<string, number>();
  for (const node of forwardNodes) for (const input of node.inputs) consumers.set(input, (consumers.get(input) ?? 0) + 1);
  const gatheredSoftmaxInput = (node: GraphNode): string | null => {
    if (node.opType !== 'GatherElements') return null;
    const softmax = forwardNodes.find((n) => n.outputs[0] === node.inputs[0]);
    if (softmax === undefined || softmax.opType !== 'Softmax' || consumers.get(node.inputs[0]) !== 1) return null;
    if (!dependsOnWrt.has(softmax.inputs[0]) || g.outputs.some((o) => o.name === node.inputs[0])) return null;
    const rank = shapes.get(node.inputs[0])!.shape.length;
    const axis = normalizeAxis(intAttr(node, 'axis', 0), rank);
    const sameAxis = normalizeAxis(intAttr(softmax, 'axis', -1), rank) === axis;
    const onePerRow = shapes.get(node.inputs[1])!.shape[axis] === 1;
    return sameAxis && onePerRow ? softmax.inputs[0] : null;
  };

  // Gradient contributions to each value, summed when the value's own node is reached. The
  // gradient of a single-axis Slice is kept as a piece with its position, so that the pieces of
  // slices that tile a tensor (q, k, v of the fused c_attn) become one Concat instead of three
  // zero-padded copies added together.
  const contributions = new Map<string, (string | SlicePiece)[]>();
  const contribute = (value: string, grad: string | SlicePiece): void => {
    const list = contributions.get(value);
    if (list === undefined) contributions.set(value, [grad]);
    else list.push(grad);
  };
  const sumOf = (value: string): string | undefined => {
    const list = contributions.get(value);
    if (list === undefined) return undefined;
    const dense = list.filter((c): c is string => typeof c === 'string');
    const pieces = list.filter((c): c is SlicePiece => typeof c !== 'string');
    if (pieces.length > 0) dense.push(joinSlicePieces(ctx, pieces));
    return dense.reduce((total, grad) => g.op('Add', [total, grad]));
  };

  const ctx: GradientContext = {
    g,
    shape: (value) => {
      const t = shapes.get(value);
      if (t === undefined) throw new Error(`appendGradients: no shape for '${value}'`);
      return t.shape;
    },
    reduceTo: (grad, from, to) => reduceToShape(g, grad, from, to),
    zeros: (shape) => g.op('Expand', [g.scalar(0), g.int64s([...shape])]),
  };

  contribute(loss, g.scope('grad', () => (lossType.shape.length === 0 ? g.scalar(1) : g.floatConstant(`${loss}/grad_seed`, lossType.shape, [1]))));
  for (let i = forwardNodes.length - 1; i >= 0; i--) {
    const node = forwardNodes[i];
    const output = node.outputs[0];
    if (!dependsOnWrt.has(output) || !feedsLoss.has(output)) continue;
    if (node.outputs.length !== 1) throw new Error(`appendGradients: ${node.name} has several outputs`);
    const entry = GRADIENT_RULES[node.opType];
    if (entry === undefined) throw new Error(`appendGradients: no gradient rule for op ${node.opType} (node ${node.name})`);
    const differentiable = new Set(entry.differentiable(node));
    const needed = node.inputs.map((input, k) => differentiable.has(k) && input !== '' && dependsOnWrt.has(input));
    const outputGrad = g.scope(`grad/${node.name}`, () => sumOf(output));
    if (outputGrad === undefined) continue; // feeds the loss only through non-differentiable paths
    const softmaxInput = gatheredSoftmaxInput(node);
    if (softmaxInput !== null) {
      // GatherElements(softmax(x)) with the softmax used nowhere else (cross-entropy): with p the
      // gathered probability and c = gy * p, dx = -c * softmax(x), except c * (1 - p) at the
      // gathered position of each row. Two passes over softmax(x) instead of six through the two
      // rules in turn; the Softmax node then gets no gradient of its own and is skipped. One
      // position per row means no two writes meet, so the scatter needs no reduction: WebGPU's
      // atomic scatter-add fails on outputs over 128 MiB (the paper shape's (8, 512, 15007)
      // logits are 246 MB), and a plain write is deterministic too.
      g.scope(`grad/${node.name}`, () => {
        const [probs, indices] = node.inputs;
        const weighted = g.op('Mul', [outputGrad, output]); // c, shape of the indices
        const spread = g.op('Mul', [probs, g.op('Neg', [weighted])]);
        const atTarget = g.op('Mul', [weighted, g.op('Sub', [g.scalar(1), output])]); // c (1 - p)
        const axis = normalizeAxis(intAttr(node, 'axis', 0), ctx.shape(probs).length);
        contribute(softmaxInput, g.op('ScatterElements', [spread, indices, atTarget], { axis: attr.int(axis) }));
      });
      continue;
    }
    const ranges = node.opType === 'Slice' ? sliceRanges(g, node, ctx.shape(node.inputs[0])) : [];
    if (ranges.length === 1 && needed[0]) {
      contribute(node.inputs[0], { grad: outputGrad, ...ranges[0], inputShape: ctx.shape(node.inputs[0]) });
      continue;
    }
    const inputGrads = g.scope(`grad/${node.name}`, () => entry.rule(ctx, node, outputGrad, needed));
    node.inputs.forEach((input, k) => {
      const grad = inputGrads[k];
      if (needed[k] && grad !== null && grad !== undefined) contribute(input, grad);
    });
  }

  const gradients = new Map<string, string>();
  for (const name of wrt) {
    const grad = g.scope(`grad/${name}`, () => sumOf(name));
    if (grad === undefined) throw new Error(`appendGradients: '${name}' does not affect the loss '${loss}'`);
    gradients.set(name, grad);
  }
  // shapes of the backward values too (a check of the rules, and for code that builds on them)
  for (const c of g.constants.values()) {
    if (!shapes.has(c.name)) shapes.set(c.name, { elementType: c.elementType, shape: [...c.shape] });
  }
  for (const node of g.nodes.slice(forwardNodes.length)) inferNode(g, node, shapes);
  return { gradients, shapes };
}

/** The gradient of a slice along one axis, not yet padded to the sliced tensor's shape. */
interface SlicePiece {
  grad: string;
  axis: number;
  start: number;
  end: number;
  /** shape of the tensor that was sliced */
  inputShape: number[];
}

/**
 * The sum of slice gradients as full-size tensors: pieces along one axis that do not overlap are
 * laid side by side with zero blocks in the gaps (one Concat); otherwise each is padded alone.
 */
function joinSlicePieces(ctx: GradientContext, pieces: SlicePiece[]): string {
  const { g, zeros } = ctx;
  const pad = (group: SlicePiece[]): string => {
    const { axis, inputShape } = group[0];
    const block = (from: number, to: number): string => zeros(inputShape.map((d, i) => (i === axis ? to - from : d)));
    const parts: string[] = [];
    let position = 0;
    for (const piece of group) {
      if (piece.start > position) parts.push(block(position, piece.start));
      parts.push(piece.grad);
      position = piece.end;
    }
    if (position < inputShape[axis]) parts.push(block(position, inputShape[axis]));
    return parts.length === 1 ? parts[0] : g.op('Concat', parts, { axis: attr.int(axis) });
  };
  const sorted = [...pieces].sort((a, b) => a.start - b.start);
  const disjoint = sorted.every((p, i) => p.axis === pieces[0].axis && (i === 0 || p.start >= sorted[i - 1].end));
  if (disjoint) return pad(sorted);
  return pieces.map((p) => pad([p])).reduce((total, grad) => g.op('Add', [total, grad]));
}

/**
 * Sum a gradient of shape `from` down to `to`, the shape of an input that was broadcast (NumPy
 * rules: `to` aligned to the right, its missing or size-1 axes summed).
 */
export function reduceToShape(g: GraphBuilder, grad: string, from: readonly number[], to: readonly number[]): string {
  if (from.length === to.length && from.every((d, i) => d === to[i])) return grad;
  const offset = from.length - to.length;
  const axes = from.flatMap((d, i) => (i < offset || (to[i - offset] === 1 && d !== 1) ? [i] : []));
  const summed = axes.length > 0 ? g.op('ReduceSum', [grad, g.int64s(axes)], { keepdims: attr.int(1) }) : grad;
  return g.op('Reshape', [summed, g.int64s([...to])]);
}
