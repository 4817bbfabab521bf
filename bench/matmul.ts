/**
 * The execution provider's fp32 matrix-product speed: a chain of 1024 x 1024 x 1024 MatMuls in
 * one onnxruntime session, GFLOP/s from the median run. The train bench divides its model GFLOP/s
 * by this number, so a training step is judged against what the same EP can do at best on this
 * machine, not against a datasheet. The chain keeps host-device copies (one input, one output)
 * small next to the products on a GPU EP.
 */
import ort from 'onnxruntime-node';
import { type BenchLine, type BenchOptions, deviceFields, medianMsAsync } from './index.js';
import { GraphBuilder, serializeGraph } from '../src/model/onnx-builder.js';
import { createSession } from '../src/runtime/session.js';
import { createRng } from '../src/linalg/random.js';
import { type ExecutionProvider, resolveExecutionProvider } from '../src/runtime/execution-providers.js';

const N = 1024;
const CHAIN = 8;

export interface MatmulPeak {
  ep: ExecutionProvider;
  gflops: number;
  ms: number;
}

const measured = new Map<string, Promise<MatmulPeak>>();

/** GFLOP/s of fp32 MatMul at 1024^3 on `ep`, measured once per process and EP. */
export function matmulPeak(ep: ExecutionProvider, runs = 5): Promise<MatmulPeak> {
  if (!measured.has(ep)) measured.set(ep, measure(ep, runs));
  return measured.get(ep)!;
}

async function measure(ep: ExecutionProvider, runs: number): Promise<MatmulPeak> {
  const graph = new GraphBuilder('matmul-chain');
  let x = graph.input('x', 'float32', [N, N]);
  const w = graph.input('w', 'float32', [N, N]);
  for (let i = 0; i < CHAIN; i++) x = graph.op('MatMul', [x, w], {}, i === CHAIN - 1 ? { output: 'y' } : {});
  graph.output('y', 'float32', [N, N]);
  const { session } = await createSession(serializeGraph(graph, { parametersAs: 'inputs' }), { ep });
  // w = Q-like scale 1/sqrt(N) keeps the chain's values O(1) (no overflow to inf, no denormals).
  const rng = createRng(7);
  const values = (scale: number) => Float32Array.from({ length: N * N }, () => (rng.uniform() * 2 - 1) * scale);
  const feeds = {
    x: new ort.Tensor('float32', values(1), [N, N]),
    w: new ort.Tensor('float32', values(Math.sqrt(3 / N)), [N, N]),
  };
  const ms = await medianMsAsync(runs, async () => {
    await session.run(feeds);
  });
  await session.release();
  return { ep, ms, gflops: (CHAIN * 2 * N ** 3) / (ms * 1e6) };
}

export async function run(opts: BenchOptions): Promise<BenchLine[]> {
  const resolved = await resolveExecutionProvider(opts.ep ?? 'auto');
  const peak = await matmulPeak(resolved.ep, opts.runs ?? 5);
  const line: BenchLine = {
    bench: 'matmul',
    shape: `${N}^3 x${CHAIN}`,
    ep: peak.ep,
    ...deviceFields(resolved),
    ms: Math.round(peak.ms * 10) / 10,
    gflops: Math.round(peak.gflops * 10) / 10,
  };
  opts.report(line);
  return [line];
}
