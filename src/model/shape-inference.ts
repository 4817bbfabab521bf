/**
 * Static shapes and element types of every value of a GraphBuilder graph, for the ops this project
 * builds graphs from. The gradient builder needs them: a broadcast Add's gradient is summed back to
 * the smaller input's shape, a Reshape's gradient is reshaped to the input's shape, an embedding
 * gradient starts from zeros of the table's shape.
 *
 * Every dimension must be a number: build the graph with a fixed batch size. Shape arguments
 * (Reshape's shape, Slice's starts and ends, reduction axes) must be int64 constants of the graph.
 */
import type { Dim, ElementType, GraphBuilder, GraphNode } from './onnx-builder.js';

export interface ValueType {
  elementType: ElementType;
  shape: number[];
}

export type ShapeMap = Map<string, ValueType>;

/** Infer the type of every value; throws on a symbolic dimension or an op without a rule. */
export function inferShapes(graph: GraphBuilder): ShapeMap {
  const types: ShapeMap = new Map();
  for (const input of graph.inputs) types.set(input.name, { elementType: input.elementType, shape: numericShape(input.name, input.shape) });
  for (const p of graph.parameters) types.set(p.name, { elementType: 'float32', shape: [...p.shape] });
  for (const c of graph.constants.values()) types.set(c.name, { elementType: c.elementType, shape: [...c.shape] });
  for (const node of graph.nodes) inferNode(graph, node, types);
  return types;
}

/** Infer the outputs of one node from its inputs' types, already in `types`. */
export function inferNode(graph: GraphBuilder, node: GraphNode, types: ShapeMap): void {
  const input = (i: number): ValueType => {
    const t = types.get(node.inputs[i]);
    if (t === undefined) throw new Error(`shape inference: ${node.name}: input '${node.inputs[i]}' has no known shape`);
    return t;
  };
  const ints = (i: number): number[] | undefined => (node.inputs[i] ? int64Constant(graph, node.inputs[i], node) : undefined);
  const intAttr = (name: string, fallback: number): number => {
    const a = node.attributes[name];
    return a !== undefined && a.type === 'int' ? a.value : fallback;
  };
  const set = (shape: number[], elementType: ElementType = input(0).elementType): void => {
    types.set(node.outputs[0], { elementType, shape });
  };

  switch (node.opType) {
    case 'Identity': case 'Neg': case 'Log': case 'Exp': case 'Sqrt': case 'Reciprocal': case 'Tanh':
    case 'Erf': case 'Gelu': case 'Softmax': case 'LayerNormalization': case 'Relu': case 'Sigmoid':
    case 'Clip': case 'ScatterND': case 'ScatterElements':
      return set([...input(0).shape]);
    case 'Add': case 'Sub': case 'Mul': case 'Div': case 'Pow': case 'Max': case 'Min':
      return set(broadcastShapes(node, input(0).shape, input(1).shape));
    case 'Greater': case 'Less': case 'Equal':
      return set(broadcastShapes(node, input(0).shape, input(1).shape), 'bool');
    case 'Where':
      return set(broadcastShapes(node, input(0).shape, broadcastShapes(node, input(1).shape, input(2).shape)), input(1).elementType);
    case 'MatMul': {
      const a = input(0).shape;
      const b = input(1).shape;
      if (a.length < 2 || b.length < 2) throw new Error(`shape inference: ${node.name}: MatMul of rank < 2 is not supported`);
      if (a[a.length - 1] !== b[b.length - 2]) throw new Error(`shape inference: ${node.name}: MatMul (${a}) @ (${b})`);
      const batch = broadcastShapes(node, a.slice(0, -2), b.slice(0, -2));
      return set([...batch, a[a.length - 2], b[b.length - 1]]);
    }
    case 'Gemm': {
      const a = input(0).shape;
      const b = input(1).shape;
      const [m, k] = intAttr('transA', 0) ? [a[1], a[0]] : [a[0], a[1]];
      const [k2, n] = intAttr('transB', 0) ? [b[1], b[0]] : [b[0], b[1]];
      if (k !== k2) throw new Error(`shape inference: ${node.name}: Gemm inner dimensions ${k} and ${k2}`);
      return set([m, n]);
    }
    case 'Gather': {
      const data = input(0).shape;
      const axis = normalizeAxis(intAttr('axis', 0), data.length);
      return set([...data.slice(0, axis), ...input(1).shape, ...data.slice(axis + 1)]);
    }
    case 'GatherElements':
      return set([...input(1).shape]);
    case 'Reshape': {
      const target = required(ints(1), node, 'shape');
      const shape = input(0).shape;
      const known = target.map((d, i) => (d === 0 ? shape[i] : d));
      const total = product(shape);
      const inferred = known.indexOf(-1);
      if (inferred >= 0) known[inferred] = total / product(known.filter((d) => d !== -1));
      if (product(known) !== total || !known.every(Number.isInteger)) {
        throw new Error(`shape inference: ${node.name}: cannot reshape (${shape}) to (${target})`);
      }
      return set(known);
    }
    case 'Transpose': {
      const shape = input(0).shape;
      const perm = transposePerm(node, shape.length);
      return set(perm.map((p) => shape[p]));
    }
    case 'Slice': {
      const shape = [...input(0).shape];
      for (const { axis, start, end } of sliceRanges(graph, node, input(0).shape)) shape[axis] = Math.max(0, end - start);
      return set(shape);
    }
    case 'Concat': {
      const first = input(0).shape;
      const axis = normalizeAxis(intAttr('axis', 0), first.length);
      const shape = [...first];
      shape[axis] = node.inputs.reduce((sum, _, i) => sum + input(i).shape[axis], 0);
      return set(shape);
    }
    case 'Unsqueeze': {
      const shape = [...input(0).shape];
      const rank = shape.length + required(ints(1), node, 'axes').length;
      const axes = required(ints(1), node, 'axes').map((a) => normalizeAxis(a, rank)).sort((x, y) => x - y);
      for (const axis of axes) shape.splice(axis, 0, 1);
      return set(shape);
    }
    case 'Squeeze': {
      const shape = input(0).shape;
      const axes = (ints(1) ?? shape.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => normalizeAxis(a, shape.length));
      return set(shape.filter((_, i) => !axes.includes(i)));
    }
    case 'Expand':
      return set(broadcastShapes(node, input(0).shape, required(ints(1), node, 'shape')));
    case 'ReduceSum': case 'ReduceMean': case 'ReduceSumSquare': case 'ReduceMax': {
      const shape = input(0).shape;
      const { axes, keepdims } = reduction(graph, node, shape.length);
      const out: number[] = [];
      shape.forEach((d, i) => {
        if (!axes.includes(i)) out.push(d);
        else if (keepdims) out.push(1);
      });
      return set(out);
    }
    default:
      throw new Error(`shape inference: no rule for op ${node.opType} (node ${node.name})`);
  }
}

/** NumPy broadcasting of two shapes. */
export function broadcastShapes(node: GraphNode, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`shape inference: ${node.name}: shapes (${a}) and (${b}) do not broadcast`);
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** The reduced axes (normalized) and keepdims of a Reduce* node (axes as input, opset 18+). */
export function reduction(graph: GraphBuilder, node: GraphNode, rank: number): { axes: number[]; keepdims: boolean } {
  const keepdimsAttr = node.attributes.keepdims;
  const keepdims = keepdimsAttr === undefined || keepdimsAttr.type !== 'int' || keepdimsAttr.value !== 0;
  const noop = node.attributes.noop_with_empty_axes;
  const axesInput = node.inputs[1] ? int64Constant(graph, node.inputs[1], node) : [];
  if (axesInput.length === 0 && noop !== undefined && noop.type === 'int' && noop.value === 1) {
    return { axes: [], keepdims };
  }
  const axes = axesInput.length === 0 ? Array.from({ length: rank }, (_, i) => i) : axesInput.map((a) => normalizeAxis(a, rank));
  return { axes, keepdims };
}

/** The permutation of a Transpose node (default: reverse the axes). */
export function transposePerm(node: GraphNode, rank: number): number[] {
  const perm = node.attributes.perm;
  if (perm !== undefined && perm.type === 'ints') return perm.value;
  return Array.from({ length: rank }, (_, i) => rank - 1 - i);
}

/** The clamped [start, end) of each sliced axis of a Slice node; steps other than 1 are refused. */
export function sliceRanges(
  graph: GraphBuilder,
  node: GraphNode,
  shape: readonly number[],
): { axis: number; start: number; end: number }[] {
  const starts = int64Constant(graph, node.inputs[1], node);
  const ends = int64Constant(graph, node.inputs[2], node);
  const axes = node.inputs[3] ? int64Constant(graph, node.inputs[3], node) : starts.map((_, i) => i);
  const steps = node.inputs[4] ? int64Constant(graph, node.inputs[4], node) : starts.map(() => 1);
  if (steps.some((s) => s !== 1)) throw new Error(`${node.name}: Slice with steps other than 1 is not supported`);
  return axes.map((a, i) => {
    const axis = normalizeAxis(a, shape.length);
    const dim = shape[axis];
    const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + dim : v, 0), dim);
    return { axis, start: clamp(starts[i]), end: clamp(ends[i]) };
  });
}

/** The values of an int64 constant of the graph (shape arguments must be constants). */
export function int64Constant(graph: GraphBuilder, name: string, node: GraphNode): number[] {
  const c = graph.constants.get(name);
  if (c === undefined || c.elementType !== 'int64') {
    throw new Error(`${node.name}: '${name}' must be an int64 constant of the graph`);
  }
  return Array.from(c.data as BigInt64Array, Number);
}

export function normalizeAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= Math.max(rank, 1)) throw new Error(`axis ${axis} out of range for rank ${rank}`);
  return a;
}

function numericShape(name: string, shape: Dim[]): number[] {
  return shape.map((d) => {
    if (typeof d !== 'number') {
      throw new Error(`shape inference: input '${name}' has symbolic dimension '${d}'; build the graph with fixed sizes`);
    }
    return d;
  });
}

function required<T>(value: T | undefined, node: GraphNode, what: string): T {
  if (value === undefined) throw new Error(`${node.name}: ${node.opType} needs its '${what}' input`);
  return value;
}

function product(values: readonly number[]): number {
  return values.reduce((p, v) => p * v, 1);
}
