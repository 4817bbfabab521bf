/**
 * Where onnxruntime places the nodes of each shape's training-step graph (all parameters trained,
 * and the SFT set with tok_emb frozen) on the selected EP: the issue asks for every node on the GPU
 * EP. One line per shape and frozen set; offDevice counts the nodes placed elsewhere and offNodes
 * names them. On the CPU EP every node is on the CPU by definition, so the line is skipped.
 */
import { type BenchLine, type BenchOptions, deviceFields } from './index.js';
import { initParameters } from '../src/model/init.js';
import { FROZEN_SETS } from '../src/model/train-graph.js';
import { resolveExecutionProvider } from '../src/runtime/execution-providers.js';
import { inspectTrainingPlacement } from '../src/train/placement.js';
import { selectedShapes } from './train.js';

export async function run(opts: BenchOptions): Promise<BenchLine[]> {
  const resolved = await resolveExecutionProvider(opts.ep ?? 'auto');
  if (resolved.ep === 'cpu') {
    console.error('placement: skipped on the CPU EP (every node runs there)');
    return [];
  }
  const lines: BenchLine[] = [];
  for (const shape of selectedShapes(opts)) {
    const weights = initParameters(shape.config, 1);
    for (const frozen of ['none', 'sft'] as const) {
      const started = performance.now();
      const graphOptions = { batchSize: shape.batchSize, seqLen: shape.seqLen, frozen: FROZEN_SETS[frozen] };
      const placement = await inspectTrainingPlacement(shape.config, weights, graphOptions, resolved.ep);
      const line: BenchLine = {
        bench: 'placement',
        shape: shape.name,
        ep: resolved.ep,
        ...deviceFields(resolved),
        frozen,
        onDevice: placement.onDevice,
        offDevice: placement.offDevice.length,
        offNodes: placement.offDevice.join('; '),
        ms: Math.round(performance.now() - started),
      };
      lines.push(line);
      opts.report(line);
    }
  }
  return lines;
}
