/**
 * Where onnxruntime places the nodes of the training-step graph on a GPU execution provider: the
 * issue asks that every node of the training graph run on the GPU (an op that falls back to the
 * CPU costs two host copies per step). The graph is built from WEBGPU_DEVICE_OPS only; this asks
 * onnxruntime itself, through its verbose log in a child process (runtime/session.ts).
 * test/runtime/webgpu.test.ts runs it on any WebGPU adapter, Mesa's software one included.
 */
import type { GptConfig } from '../model/config.js';
import { buildTrainStepGraph, serializeTrainGraph, type TrainGraphOptions } from '../model/train-graph.js';
import type { ModelWeights } from '../model/weights.js';
import { type ExecutionProvider, ORT_PROVIDER_NAMES } from '../runtime/execution-providers.js';
import { inspectPlacement } from '../runtime/session.js';

export interface TrainingPlacement {
  ep: ExecutionProvider;
  /** nodes onnxruntime assigned to `ep` */
  onDevice: number;
  /** 'OpType (node name)' of every node placed elsewhere (empty when all run on the device) */
  offDevice: string[];
}

export async function inspectTrainingPlacement(
  config: GptConfig,
  weights: ModelWeights,
  options: TrainGraphOptions,
  ep: Exclude<ExecutionProvider, 'cpu'>,
): Promise<TrainingPlacement> {
  const model = serializeTrainGraph(buildTrainStepGraph(config, options), weights);
  const placements = await inspectPlacement(model, ep);
  const device = ORT_PROVIDER_NAMES[ep];
  const onDevice = placements.filter((p) => p.provider === device).reduce((n, p) => n + p.count, 0);
  const offDevice = placements
    .filter((p) => p.provider !== device)
    .flatMap((p) => (p.nodes.length > 0 ? p.nodes : [`${p.count} node(s) on ${p.provider}`]));
  if (placements.length === 0) throw new Error(`placement check on ${ep}: onnxruntime's log named no placement`);
  return { ep, onDevice, offDevice };
}
