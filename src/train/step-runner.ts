/**
 * Running the train-step graph step after step, with the training state (trainable parameters and
 * both AdamW moments) held between steps:
 *
 *   HostStepRunner    state in host memory; each step's outputs are the next step's inputs. The
 *                     CPU EP's path, and the CUDA EP's for now (state copied in and out each step).
 *   DeviceStepRunner  state stays on the GPU (WebGPU): the `next.` outputs are requested as
 *                     'gpu-buffer' tensors and fed back into the same session as the next step's
 *                     inputs, so the ~120 MB of paper-shape state does not cross the ~1 GB/s host
 *                     link each step. DESIGN.md records that a session fed its own gpu-buffer
 *                     outputs once crashed, with an Identity output aliasing an input; no output of
 *                     the train-step graph aliases an input, and one session fed its own outputs
 *                     trains as the CPU EP does on Mesa's software Vulkan device
 *                     (test/runtime/webgpu.test.ts). An earlier version alternated two sessions,
 *                     which kept two sets of activations on the device. Its speed on a real GPU
 *                     is measured by `npm run bench -- --ep webgpu`.
 *
 * A step whose loss or gradient norm is not finite leaves the state as it was (the inputs of that
 * step), so that the caller can find the tensor that went non-finite.
 */
import ort from 'onnxruntime-node';
import { GraphBuilder, serializeGraph } from '../model/onnx-builder.js';
import type { ExecutionProvider } from '../runtime/execution-providers.js';
import { TOKEN_ID_TYPE } from '../model/gpt-graph.js';
import { TRAIN_IO } from '../model/train-graph.js';
import type { Batch } from './batches.js';

/** Trainable parameters and their AdamW moments, by parameter name, in host memory. */
export interface OptimizerState {
  params: Map<string, Float32Array>;
  m: Map<string, Float32Array>;
  v: Map<string, Float32Array>;
}

export interface StepResult {
  loss: number;
  gradNorm: number;
}

export interface StepRunner {
  /** One update; `update` is 1-based (Adam's bias correction). */
  step(batch: Batch, lr: number, update: number): Promise<StepResult>;
  /** The current state, copied to host memory where it lives on a device. */
  snapshot(): Promise<OptimizerState>;
  release(): Promise<void>;
}

interface RunnerSetup {
  model: Uint8Array;
  trainable: string[];
  shapes: Map<string, number[]>;
  batchSize: number;
  seqLen: number;
  initial: OptimizerState;
}

function scalar(value: number): ort.Tensor {
  return new ort.Tensor('float32', Float32Array.of(value), []);
}

function batchFeeds(batch: Batch, batchSize: number, seqLen: number, lr: number, update: number): Record<string, ort.Tensor> {
  return {
    [TRAIN_IO.tokens]: new ort.Tensor(TOKEN_ID_TYPE, batch.tokens, [batchSize, seqLen]),
    [TRAIN_IO.targets]: new ort.Tensor(TOKEN_ID_TYPE, batch.targets, [batchSize, seqLen]),
    [TRAIN_IO.lr]: scalar(lr),
    [TRAIN_IO.step]: scalar(update),
  };
}

/** The state's tensors under the graph's input names, and the output name each is replaced by. */
function stateNames(trainable: string[]): { input: string; output: string; kind: keyof OptimizerState; param: string }[] {
  return trainable.flatMap((param) => [
    { input: param, output: TRAIN_IO.next(param), kind: 'params' as const, param },
    { input: TRAIN_IO.adamM(param), output: TRAIN_IO.next(TRAIN_IO.adamM(param)), kind: 'm' as const, param },
    { input: TRAIN_IO.adamV(param), output: TRAIN_IO.next(TRAIN_IO.adamV(param)), kind: 'v' as const, param },
  ]);
}

/**
 * State in host memory, double-buffered: a step reads one set of buffers and onnxruntime writes
 * the next state into the other (pre-allocated outputs), so no 3 x 40 MB is allocated per step at
 * the paper shape; after a finite step the two swap.
 */
export class HostStepRunner implements StepRunner {
  private current: OptimizerState;
  private spare: OptimizerState;

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly setup: RunnerSetup,
  ) {
    const copy = (state: OptimizerState): OptimizerState => ({
      params: new Map([...state.params].map(([n, d]) => [n, Float32Array.from(d)])),
      m: new Map([...state.m].map(([n, d]) => [n, Float32Array.from(d)])),
      v: new Map([...state.v].map(([n, d]) => [n, Float32Array.from(d)])),
    });
    this.current = copy(setup.initial); // never write into the caller's arrays
    this.spare = copy(setup.initial);
  }

  static async create(setup: RunnerSetup, options: { ep?: ExecutionProvider; threads?: number } = {}): Promise<HostStepRunner> {
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      executionProviders: [options.ep ?? 'cpu'],
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    };
    if (options.threads !== undefined) sessionOptions.intraOpNumThreads = options.threads;
    const session = await ort.InferenceSession.create(setup.model, sessionOptions);
    return new HostStepRunner(session, setup);
  }

  async step(batch: Batch, lr: number, update: number): Promise<StepResult> {
    const { batchSize, seqLen, trainable, shapes } = this.setup;
    const feeds = batchFeeds(batch, batchSize, seqLen, lr, update);
    const fetches: Record<string, ort.Tensor | null> = { [TRAIN_IO.lossMean]: null, [TRAIN_IO.gradNorm]: null };
    for (const { input, output, kind, param } of stateNames(trainable)) {
      const shape = shapes.get(param)!;
      feeds[input] = new ort.Tensor('float32', this.current[kind].get(param)!, shape);
      fetches[output] = new ort.Tensor('float32', this.spare[kind].get(param)!, shape);
    }
    const out = await this.session.run(feeds, fetches);
    const result = { loss: (out[TRAIN_IO.lossMean].data as Float32Array)[0], gradNorm: (out[TRAIN_IO.gradNorm].data as Float32Array)[0] };
    if (Number.isFinite(result.loss) && Number.isFinite(result.gradNorm)) {
      [this.current, this.spare] = [this.spare, this.current];
    }
    return result;
  }

  /** A copy: the runner's own buffers are overwritten by later steps. */
  async snapshot(): Promise<OptimizerState> {
    const copy = (tensors: Map<string, Float32Array>): Map<string, Float32Array> =>
      new Map([...tensors].map(([n, d]) => [n, Float32Array.from(d)]));
    return { params: copy(this.current.params), m: copy(this.current.m), v: copy(this.current.v) };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/**
 * State on the device between steps, in one session fed its own outputs (see the file comment).
 * Reading the state back (snapshots, checkpoints, the final weights) goes through a third session
 * whose outputs are placed in host memory: onnxruntime-node 1.30's own download of a gpu-buffer
 * tensor (Tensor.getData) aborts the process ("terminate called after throwing ... char const*",
 * seen on Mesa's lavapipe Vulkan device), while a gpu-buffer tensor fed into a session works.
 */
export class DeviceStepRunner implements StepRunner {
  /** graph input name -> tensor: host tensors before the first step, gpu-buffer tensors after */
  private state = new Map<string, ort.Tensor>();
  private onDevice = false;

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly readback: ort.InferenceSession,
    private readonly setup: RunnerSetup,
  ) {
    for (const { input, kind, param } of stateNames(setup.trainable)) {
      this.state.set(input, new ort.Tensor('float32', setup.initial[kind].get(param)!, setup.shapes.get(param)!));
    }
  }

  static async create(setup: RunnerSetup, ep: 'webgpu'): Promise<DeviceStepRunner> {
    const names = stateNames(setup.trainable);
    const preferredOutputLocation: Record<string, 'gpu-buffer' | 'cpu'> = {};
    for (const { output } of names) preferredOutputLocation[output] = 'gpu-buffer';
    preferredOutputLocation[TRAIN_IO.lossMean] = 'cpu';
    preferredOutputLocation[TRAIN_IO.gradNorm] = 'cpu';
    const options: ort.InferenceSession.SessionOptions = {
      executionProviders: [ep],
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
      preferredOutputLocation,
    };
    const session = await ort.InferenceSession.create(setup.model, options);
    const readbackGraph = new GraphBuilder('state_readback');
    for (const { input, param } of names) {
      const shape = setup.shapes.get(param)!;
      readbackGraph.input(input, 'float32', shape);
      readbackGraph.op('Identity', [input], {}, { output: READBACK_PREFIX + input });
      readbackGraph.output(READBACK_PREFIX + input, 'float32', shape);
    }
    const readback = await ort.InferenceSession.create(serializeGraph(readbackGraph, { parametersAs: 'inputs' }), {
      executionProviders: [ep],
      logSeverityLevel: 3,
    });
    return new DeviceStepRunner(session, readback, setup);
  }

  async step(batch: Batch, lr: number, update: number): Promise<StepResult> {
    const { batchSize, seqLen, trainable } = this.setup;
    const feeds = batchFeeds(batch, batchSize, seqLen, lr, update);
    const names = stateNames(trainable);
    for (const { input } of names) feeds[input] = this.state.get(input)!;
    const out = await this.session.run(feeds);
    const result = { loss: (out[TRAIN_IO.lossMean].data as Float32Array)[0], gradNorm: (out[TRAIN_IO.gradNorm].data as Float32Array)[0] };
    if (Number.isFinite(result.loss) && Number.isFinite(result.gradNorm)) {
      for (const { input, output } of names) {
        if (this.onDevice) this.state.get(input)!.dispose(); // the previous step's device buffer
        this.state.set(input, out[output]);
      }
      this.onDevice = true;
    } else {
      for (const { output } of names) out[output].dispose();
    }
    return result;
  }

  async snapshot(): Promise<OptimizerState> {
    const names = stateNames(this.setup.trainable);
    const host = this.onDevice
      ? await this.readback.run(Object.fromEntries(names.map(({ input }) => [input, this.state.get(input)!])))
      : null;
    const state: OptimizerState = { params: new Map(), m: new Map(), v: new Map() };
    for (const { input, kind, param } of names) {
      const data = (host === null ? this.state.get(input)!.data : host[READBACK_PREFIX + input].data) as Float32Array;
      state[kind].set(param, Float32Array.from(data));
    }
    return state;
  }

  async release(): Promise<void> {
    if (this.onDevice) for (const tensor of this.state.values()) tensor.dispose();
    await Promise.all([this.session, this.readback].map((s) => s.release()));
  }
}

const READBACK_PREFIX = 'host.';

export type { RunnerSetup };
