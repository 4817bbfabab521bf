/**
 * Training throughput of a config on an execution provider: a few steps of train() on random
 * weights and random tokens, the first step (session warm-up) left out of the timing.
 */
import type { GptConfig } from '../model/config.js';
import { initParameters } from '../model/init.js';
import { createRng } from '../linalg/random.js';
import type { EpRequest, ExecutionProvider } from '../runtime/execution-providers.js';
import { train } from './trainer.js';

export interface ThroughputOptions {
  batchSize: number;
  seqLen: number;
  /** timed steps (one more runs first, untimed) */
  steps: number;
  ep?: EpRequest;
  threads?: number;
}

export interface Throughput {
  ep: ExecutionProvider;
  /** from the mean step time */
  tokensPerSec: number;
  /** mean over the timed steps */
  msPerStep: number;
  /** the fastest timed step: the better estimate on a machine shared with other work */
  minMsPerStep: number;
  /** wall time of building the graph and creating the session, plus the untimed first step */
  setupMs: number;
}

export async function measureTrainingThroughput(config: GptConfig, options: ThroughputOptions): Promise<Throughput> {
  const rng = createRng(1);
  const tokens = Array.from({ length: 20 * options.batchSize * (options.seqLen + 1) }, () => Math.floor(rng.uniform() * config.vocabSize));
  const started = performance.now();
  let firstStepDone = 0;
  const result = await train(config, initParameters(config, 1), tokens, {
    steps: options.steps + 1,
    batchSize: options.batchSize,
    seqLen: options.seqLen,
    lr: 1e-4,
    warmup: 0,
    seed: 1,
    ep: options.ep ?? 'cpu',
    threads: options.threads,
    onStep: ({ step }) => {
      if (step === 0) firstStepDone = performance.now();
    },
  });
  return {
    ep: result.ep,
    msPerStep: result.msPerStep,
    minMsPerStep: Math.min(...result.stepMs.slice(1)),
    tokensPerSec: (options.batchSize * options.seqLen * 1000) / result.msPerStep,
    setupMs: firstStepDone - started,
  };
}
