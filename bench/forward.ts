/**
 * Inference throughput of the zoo's model shapes: forward passes of the inference graph (per-position
 * loss; logits computed but not copied out), as the probes run them, on random tokens. One untimed
 * pass first (session warm-up).
 */
import { type BenchLine, type BenchOptions, deviceFields } from './index.js';
import { createRng } from '../src/linalg/random.js';
import { initParameters } from '../src/model/init.js';
import { GptInference } from '../src/runtime/gpt-inference.js';
import { resolveExecutionProvider } from '../src/runtime/execution-providers.js';
import { selectedShapes } from './train.js';

export async function run(opts: BenchOptions): Promise<BenchLine[]> {
  const lines: BenchLine[] = [];
  const resolved = await resolveExecutionProvider(opts.ep ?? 'auto');
  const ep = resolved.ep;
  for (const shape of selectedShapes(opts)) {
    const { config, batchSize, seqLen } = shape;
    const rng = createRng(3);
    const ids = (): number[] => Array.from({ length: batchSize * seqLen }, () => Math.floor(rng.uniform() * config.vocabSize));
    const started = performance.now();
    const model = await GptInference.create(config, initParameters(config, 1), { seqLen, ep });
    const tokens = ids();
    const targets = ids();
    await model.forward(tokens, targets, batchSize, { logits: false });
    const setupMs = performance.now() - started;
    const times: number[] = [];
    for (let i = 0; i < (opts.runs ?? 2 * shape.steps); i++) {
      const t = performance.now();
      await model.forward(tokens, targets, batchSize, { logits: false });
      times.push(performance.now() - t);
    }
    await model.dispose();
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    const line: BenchLine = {
      bench: 'forward',
      shape: shape.name,
      ep: model.ep,
      ...deviceFields(resolved),
      tokensPerSec: Math.round((batchSize * seqLen * 1000) / mean),
      msPerBatch: round(mean),
      ms: round(mean),
      minMsPerBatch: round(Math.min(...times)),
      setupMs: Math.round(setupMs),
      batch: batchSize,
      seqLen,
    };
    lines.push(line);
    opts.report(line);
  }
  return lines;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
