/**
 * Each gradient rule of src/model/autodiff.ts on a small graph, against central finite differences
 * of the same forward graph run by onnxruntime in float64. The loss is sum(y * R) with a fixed
 * random R, so that every element of the op's output matters with its own weight.
 */
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GRADIENT_RULES, appendGradients } from '../../src/model/autodiff.js';
import { FLOAT32_ONLY_OPS, GraphBuilder, attr, serializeGraph } from '../../src/model/onnx-builder.js';
import { createRng } from '../../src/linalg/random.js';
import { inferShapes } from '../../src/model/shape-inference.js';
import { WEBGPU_DEVICE_OPS } from '../../src/runtime/execution-providers.js';

interface OpCase {
  name: string;
  /** differentiable inputs: name -> shape */
  params: Record<string, number[]>;
  /** builds the op(s) under test and returns the output */
  build: (g: GraphBuilder) => string;
  /** values are drawn uniformly from this range (default [-1.5, 1.5]) */
  range?: [number, number];
}

function lossGraph(testCase: OpCase): { g: GraphBuilder; loss: string } {
  const g = new GraphBuilder('op_case');
  for (const [name, shape] of Object.entries(testCase.params)) g.parameter(name, shape);
  const y = testCase.build(g);
  const yShape = inferShapes(g).get(y)!.shape;
  const rng = createRng(99);
  const weights = Array.from({ length: yShape.reduce((a, b) => a * b, 1) }, () => rng.normal());
  const loss = g.op('ReduceSum', [g.op('Mul', [y, g.floatConstant('loss_weights', yShape, weights)])], { keepdims: attr.int(0) }, { output: 'loss' });
  return { g, loss };
}

async function session(g: GraphBuilder): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(serializeGraph(g, { parametersAs: 'inputs', floatType: 'float64' }), { executionProviders: ['cpu'] });
}

async function checkCase(testCase: OpCase): Promise<void> {
  const rng = createRng(7);
  const [low, high] = testCase.range ?? [-1.5, 1.5];
  const values = new Map(
    Object.entries(testCase.params).map(([name, shape]) => [
      name,
      Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => low + (high - low) * rng.uniform()),
    ]),
  );
  const feeds = (): Record<string, ort.Tensor> =>
    Object.fromEntries([...values].map(([name, data]) => [name, new ort.Tensor('float64', data, testCase.params[name])]));

  const forward = lossGraph(testCase);
  forward.g.output(forward.loss, 'float32', []);
  const withGrads = lossGraph(testCase);
  const forwardNodeCount = withGrads.g.nodes.length;
  const { gradients } = appendGradients(withGrads.g, withGrads.loss, Object.keys(testCase.params));
  for (const node of withGrads.g.nodes.slice(forwardNodeCount)) {
    expect(WEBGPU_DEVICE_OPS.has(node.opType), `backward op ${node.opType} is not a WebGPU device op`).toBe(true);
  }
  for (const [name, grad] of gradients) {
    withGrads.g.op('Identity', [grad], {}, { output: `grad.${name}` });
    withGrads.g.output(`grad.${name}`, 'float32', testCase.params[name]);
  }

  const forwardSession = await session(forward.g);
  const gradSession = await session(withGrads.g);
  const analytic = await gradSession.run(feeds());
  // ops computed in float32 inside the float64 graph need a larger step and tolerance
  const lowPrecision = forward.g.nodes.some((n) => FLOAT32_ONLY_OPS.has(n.opType));
  const step = lowPrecision ? 1e-3 : 1e-6;
  const tolerance = lowPrecision ? 2e-3 : 1e-7;
  const lossAt = async (): Promise<number> => ((await forwardSession.run(feeds())).loss.data as Float64Array)[0];

  for (const [name, data] of values) {
    const grad = analytic[`grad.${name}`].data as Float64Array;
    const scale = Math.max(1, ...Array.from(grad, Math.abs));
    for (let i = 0; i < data.length; i++) {
      const original = data[i];
      data[i] = original + step;
      const up = await lossAt();
      data[i] = original - step;
      const down = await lossAt();
      data[i] = original;
      const numeric = (up - down) / (2 * step);
      expect(Math.abs(grad[i] - numeric), `${testCase.name}: d loss / d ${name}[${i}]`).toBeLessThan(tolerance * scale);
    }
  }
  await forwardSession.release();
  await gradSession.release();
}

const unary = (opType: string, range?: [number, number], attributes = {}): OpCase => ({
  name: opType,
  params: { x: [2, 3] },
  build: (g) => g.op(opType, ['x'], attributes),
  range,
});

const CASES: OpCase[] = [
  { name: 'Add with broadcasting', params: { a: [2, 3, 4], b: [3, 1] }, build: (g) => g.op('Add', ['a', 'b']) },
  { name: 'Sub with broadcasting', params: { a: [3, 4], b: [4] }, build: (g) => g.op('Sub', ['a', 'b']) },
  { name: 'Mul with broadcasting', params: { a: [2, 3], b: [2, 1] }, build: (g) => g.op('Mul', ['a', 'b']) },
  { name: 'Mul of a value with itself', params: { a: [2, 3] }, build: (g) => g.op('Mul', ['a', 'a']) },
  { name: 'Div with broadcasting', params: { a: [2, 3], b: [3] }, build: (g) => g.op('Div', ['a', g.op('Add', ['b', g.scalar(3)])]) },
  unary('Neg'),
  unary('Exp'),
  unary('Log', [0.5, 2]),
  unary('Sqrt', [0.5, 2]),
  unary('Reciprocal', [0.5, 2]),
  unary('Tanh'),
  unary('Identity'),
  { name: 'Erf', params: { x: [2, 3] }, build: (g) => g.op('Erf', ['x']) },
  { name: 'Gelu', params: { x: [2, 3] }, build: (g) => g.op('Gelu', ['x']) },
  { name: 'Gelu tanh', params: { x: [2, 3] }, build: (g) => g.op('Gelu', ['x'], { approximate: attr.string('tanh') }) },
  { name: 'Softmax on axis 0', params: { x: [3, 4] }, build: (g) => g.op('Softmax', ['x'], { axis: attr.int(0) }) },
  {
    name: 'LayerNormalization',
    params: { x: [3, 6], w: [6], b: [6] },
    build: (g) => g.op('LayerNormalization', ['x', 'w', 'b'], { axis: attr.int(-1), epsilon: attr.float(1e-5) }),
  },
  { name: 'MatMul, right operand broadcast', params: { a: [2, 3, 4, 5], b: [5, 2] }, build: (g) => g.op('MatMul', ['a', 'b']) },
  { name: 'MatMul, left operand broadcast', params: { a: [3, 4], b: [2, 4, 5] }, build: (g) => g.op('MatMul', ['a', 'b']) },
  {
    name: 'Gemm transA, alpha, beta, broadcast C',
    params: { a: [4, 3], b: [4, 5], c: [1, 5] },
    build: (g) => g.op('Gemm', ['a', 'b', 'c'], { transA: attr.int(1), alpha: attr.float(0.5), beta: attr.float(2) }),
  },
  { name: 'Gemm transB (a Linear)', params: { x: [4, 3], w: [5, 3], b: [5] }, build: (g) => g.op('Gemm', ['x', 'w', 'b'], { transB: attr.int(1) }) },
  {
    name: 'Gather with repeated indices',
    params: { table: [5, 3] },
    build: (g) => g.op('Gather', ['table', g.int64s([2, 0, 2, 4])], { axis: attr.int(0) }),
  },
  {
    name: 'GatherElements with repeated indices',
    params: { x: [2, 4] },
    build: (g) => g.op('GatherElements', ['x', g.op('Reshape', [g.int64s([1, 1, 3, 0, 0, 2]), g.int64s([2, 3])])], { axis: attr.int(1) }),
  },
  {
    name: 'Cross-entropy: GatherElements of a Softmax (fused gradient)',
    params: { x: [2, 3, 5] },
    build: (g) => {
      const probs = g.op('Softmax', ['x'], { axis: attr.int(-1) });
      const targets = g.op('Reshape', [g.int64s([4, 0, 4, 1, 2, 3]), g.int64s([2, 3, 1])]);
      return g.op('Log', [g.op('GatherElements', [probs, targets], { axis: attr.int(2) })]);
    },
  },
  {
    name: 'GatherElements of a Softmax that is also used elsewhere',
    params: { x: [2, 4] },
    build: (g) => {
      const probs = g.op('Softmax', ['x'], { axis: attr.int(1) });
      const picked = g.op('GatherElements', [probs, g.op('Reshape', [g.int64s([3, 0]), g.int64s([2, 1])])], { axis: attr.int(1) });
      return g.op('Add', [probs, picked]);
    },
  },
  { name: 'Reshape', params: { x: [2, 6] }, build: (g) => g.op('Reshape', ['x', g.int64s([3, -1])]) },
  { name: 'Transpose', params: { x: [2, 3, 4] }, build: (g) => g.op('Transpose', ['x'], { perm: attr.ints([2, 0, 1]) }) },
  { name: 'Unsqueeze', params: { x: [2, 3] }, build: (g) => g.op('Unsqueeze', ['x', g.int64s([1])]) },
  { name: 'Squeeze', params: { x: [2, 1, 3] }, build: (g) => g.op('Squeeze', ['x', g.int64s([1])]) },
  { name: 'Expand', params: { x: [3, 1] }, build: (g) => g.op('Expand', ['x', g.int64s([2, 3, 4])]) },
  {
    name: 'Slice on two axes',
    params: { x: [4, 5] },
    build: (g) => g.op('Slice', ['x', g.int64s([1, -4]), g.int64s([3, 4]), g.int64s([0, 1])]),
  },
  {
    name: 'Slices that tile their input',
    params: { x: [2, 6] },
    build: (g) => {
      const part = (i: number): string => g.op('Slice', ['x', g.int64s([2 * i]), g.int64s([2 * i + 2]), g.int64s([1])]);
      return g.op('Mul', [g.op('Add', [part(0), part(1)]), part(2)]);
    },
  },
  {
    name: 'Overlapping slices, slices along two axes, and a direct use',
    params: { x: [4, 6] },
    build: (g) => {
      const flat = (v: string): string => g.op('Reshape', [v, g.int64s([-1])]);
      const left = g.op('Slice', ['x', g.int64s([0]), g.int64s([4]), g.int64s([1])]); // (4, 4)
      const right = g.op('Slice', ['x', g.int64s([2]), g.int64s([6]), g.int64s([1])]); // (4, 4), overlaps left
      const rows = g.op('Slice', ['x', g.int64s([1]), g.int64s([3]), g.int64s([0])]); // (2, 6)
      return g.op('Concat', [flat(g.op('Mul', [left, right])), flat(rows), flat(g.op('Exp', ['x']))], { axis: attr.int(0) });
    },
  },
  { name: 'Concat', params: { a: [2, 3], b: [2, 1] }, build: (g) => g.op('Concat', ['a', 'b'], { axis: attr.int(1) }) },
  { name: 'ReduceSum', params: { x: [2, 3, 4] }, build: (g) => g.op('ReduceSum', ['x', g.int64s([1])], { keepdims: attr.int(0) }) },
  { name: 'ReduceMean', params: { x: [2, 3, 4] }, build: (g) => g.op('ReduceMean', ['x', g.int64s([0, 2])]) },
  { name: 'ReduceSumSquare', params: { x: [2, 3] }, build: (g) => g.op('ReduceSumSquare', ['x', g.int64s([-1])]) },
  {
    name: 'Where with a computed condition',
    params: { a: [2, 3], b: [3] },
    build: (g) => {
      const condition = g.op('Greater', [g.floatConstant('signs', [2, 3], [1, -1, 1, -1, -1, 1]), g.scalar(0)]);
      return g.op('Where', [condition, 'a', 'b']);
    },
  },
];

describe('gradient rules against finite differences (float64)', () => {
  for (const testCase of CASES) {
    it(testCase.name, async () => checkCase(testCase));
  }

  it('covers every op with a rule', () => {
    const tested = new Set<string>();
    for (const testCase of CASES) {
      const { g } = lossGraph(testCase);
      for (const node of g.nodes) tested.add(node.opType);
    }
    expect(Object.keys(GRADIENT_RULES).filter((op) => !tested.has(op))).toEqual([]);
  });

  it('knows which ops run in float32 inside a float64 graph', () => {
    expect([...FLOAT32_ONLY_OPS].sort()).toEqual(['Erf', 'Gelu']);
  });

  it('refuses an op without a rule on the path to the loss', () => {
    const g = new GraphBuilder('no_rule');
    g.parameter('x', [3]);
    const y = g.op('ReduceSum', [g.op('Relu', ['x'])], { keepdims: attr.int(0) });
    expect(() => appendGradients(g, y, ['x'])).toThrow(/no gradient rule for op Relu/);
  });
});
