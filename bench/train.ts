/**
 * Training throughput of the zoo's model shapes (the ci, laptop and paper profiles' configs, batch
 * sizes and sequence lengths): a few optimizer steps through the train-step graph on random tokens,
 * the first (session warm-up) untimed. The targets: paper shape at least 600 tokens/s on
 * the 2-core CPU, at least 100,000 tokens/s on one H100 through WebGPU.
 *
 * Each line also gives the model's GFLOP/s (trainingFlopsPerToken x tokens/s) and that as a
 * fraction of the same EP's MatMul speed at 1024^3 (bench/matmul.ts), measured in this process:
 * how close a step comes to what the machine can do. Issue 8's target: 0.7 for the paper shape
 * on the CPU EP.
 */
import { type BenchLine, type BenchOptions, deviceFields } from './index.js';
import { countParameters, trainingFlopsPerToken } from '../src/model/config.js';
import { matmulPeak } from './matmul.js';
import type { GptConfig } from '../src/model/config.js';
import { PROFILES, modelConfig } from '../src/pipeline/profiles.js';
import type { Profile } from '../src/pipeline/profiles.js';
import { measureTrainingThroughput } from '../src/train/throughput.js';
import { resolveExecutionProvider } from '../src/runtime/execution-providers.js';

export interface ModelShape {
  name: Profile['name'];
  config: GptConfig;
  batchSize: number;
  seqLen: number;
  /** timed steps by default (the paper shape's steps take seconds on a CPU) */
  steps: number;
}

export const MODEL_SHAPES: ModelShape[] = (['ci', 'laptop', 'paper'] as const).map((name) => ({
  name,
  config: modelConfig(PROFILES[name]),
  batchSize: PROFILES[name].training.batchSize,
  seqLen: PROFILES[name].training.seqLen,
  steps: name === 'ci' ? 10 : 3,
}));

export function selectedShapes(opts: BenchOptions): ModelShape[] {
  return opts.shapes === undefined ? MODEL_SHAPES : MODEL_SHAPES.filter((s) => opts.shapes!.includes(s.name));
}

export async function run(opts: BenchOptions): Promise<BenchLine[]> {
  const lines: BenchLine[] = [];
  const resolved = await resolveExecutionProvider(opts.ep ?? 'auto');
  const ep = resolved.ep;
  const peak = await matmulPeak(ep);
  for (const shape of selectedShapes(opts)) {
    const result = await measureTrainingThroughput(shape.config, {
      batchSize: shape.batchSize,
      seqLen: shape.seqLen,
      steps: opts.runs ?? shape.steps,
      ep,
    });
    const modelGflops = (trainingFlopsPerToken(shape.config, shape.seqLen) * result.tokensPerSec) / 1e9;
    const line: BenchLine = {
      bench: 'train',
      shape: shape.name,
      ep: result.ep,
      ...deviceFields(resolved),
      tokensPerSec: Math.round(result.tokensPerSec),
      msPerStep: round(result.msPerStep),
      ms: round(result.msPerStep),
      minMsPerStep: round(result.minMsPerStep),
      setupMs: Math.round(result.setupMs),
      batch: shape.batchSize,
      seqLen: shape.seqLen,
      params: countParameters(shape.config).total,
      modelGflops: round(modelGflops),
      ofMatmulPeak: Math.round((modelGflops / peak.gflops) * 100) / 100,
      minStepOfMatmulPeak: Math.round(((modelGflops * result.msPerStep) / result.minMsPerStep / peak.gflops) * 100) / 100,
    };
    lines.push(line);
    opts.report(line);
  }
  return lines;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
