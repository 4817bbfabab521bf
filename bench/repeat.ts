/**
 * Determinism on the selected EP: the same seed trained twice, and once on the CPU EP, for a few
 * steps of each shape. maxRelLossDiff is the largest relative difference of a step's loss between
 * the two runs on the EP (0 on the CPU EP; within GPU_REPEAT_TOLERANCE on a GPU, where scatter-adds
 * sum in no fixed order), maxRelLossDiffVsCpu the same against the CPU EP's run.
 */
import { type BenchLine, type BenchOptions, deviceFields } from './index.js';
import { initParameters } from '../src/model/init.js';
import { createRng } from '../src/linalg/random.js';
import { resolveExecutionProvider } from '../src/runtime/execution-providers.js';
import { train } from '../src/train/trainer.js';
import { selectedShapes } from './train.js';

export async function run(opts: BenchOptions): Promise<BenchLine[]> {
  const resolved = await resolveExecutionProvider(opts.ep ?? 'auto');
  const lines: BenchLine[] = [];
  for (const shape of selectedShapes(opts)) {
    const steps = opts.runs ?? 10;
    const rng = createRng(2);
    const tokens = Array.from({ length: 20 * shape.batchSize * (shape.seqLen + 1) }, () => Math.floor(rng.uniform() * shape.config.vocabSize));
    const options = { steps, batchSize: shape.batchSize, seqLen: shape.seqLen, lr: 1e-3, warmup: 2, seed: 1 };
    const started = performance.now();
    const first = await train(shape.config, initParameters(shape.config, 1), tokens, { ...options, ep: resolved.ep });
    const second = await train(shape.config, initParameters(shape.config, 1), tokens, { ...options, ep: resolved.ep });
    const cpu = resolved.ep === 'cpu' ? first : await train(shape.config, initParameters(shape.config, 1), tokens, { ...options, ep: 'cpu' });
    const maxRel = (a: number[], b: number[]): number => Math.max(...a.map((x, i) => Math.abs(x - b[i]) / Math.abs(b[i])));
    const line: BenchLine = {
      bench: 'repeat',
      shape: shape.name,
      ep: resolved.ep,
      ...deviceFields(resolved),
      steps,
      maxRelLossDiff: maxRel(second.losses, first.losses),
      maxRelLossDiffVsCpu: maxRel(first.losses, cpu.losses),
      lastLoss: first.losses[steps - 1],
      ms: Math.round(performance.now() - started),
    };
    lines.push(line);
    opts.report(line);
  }
  return lines;
}
