/**
 * The GPT inference graph in a session: token batches in, logits, per-position loss and
 * (optionally) attention probabilities out.
 */
import ort from 'onnxruntime-node';
import type { GptConfig } from '../model/config.js';
import { GPT_IO, TOKEN_ID_TYPE, buildInferenceModel } from '../model/gpt-graph.js';
import type { ModelWeights } from '../model/weights.js';
import type { ExecutionProvider } from './execution-providers.js';
import { type ModelSession, type SessionOptions, createSession } from './session.js';

export interface GptForwardOutput {
  /** (B, T, V) row-major, when requested */
  logits?: Float32Array;
  /** (B, T): -log p(target) at each position */
  loss: Float32Array;
  /** per layer, (B, nh, T, T), when the model was built with attention outputs */
  attentionProbs?: Float32Array[];
}

export interface GptInferenceOptions extends SessionOptions {
  /** T: every batch must have exactly this many positions */
  seqLen: number;
  /** true: attention probabilities besides logits and loss; 'only': nothing else (see attention()) */
  attentionProbs?: boolean | 'only';
}

export class GptInference {
  private constructor(
    readonly config: GptConfig,
    readonly seqLen: number,
    readonly withAttention: boolean | 'only',
    private readonly model: ModelSession,
  ) {}

  static async create(config: GptConfig, weights: ModelWeights, options: GptInferenceOptions): Promise<GptInference> {
    const bytes = buildInferenceModel(config, weights, {
      seqLen: options.seqLen,
      attentionProbs: options.attentionProbs ?? false,
    });
    const model = await createSession(bytes, options);
    return new GptInference(config, options.seqLen, options.attentionProbs ?? false, model);
  }

  /** The execution provider that runs this model. */
  get ep(): ExecutionProvider {
    return this.model.ep;
  }

  get epReason(): string {
    return this.model.epReason;
  }

  /**
   * One forward pass over `batch` sequences; `tokens` and `targets` are (B, T) row-major ids.
   * Logits (B*T*V floats) are copied out only when asked for.
   */
  async forward(
    tokens: ArrayLike<number>,
    targets: ArrayLike<number>,
    batch: number,
    options: { logits?: boolean } = {},
  ): Promise<GptForwardOutput> {
    if (this.withAttention === 'only') throw new Error('GptInference: built with attentionProbs "only"; call attention()');
    const T = this.seqLen;
    const feeds = {
      [GPT_IO.tokens]: this.tokenTensor(tokens, batch, 'tokens'),
      [GPT_IO.targets]: this.tokenTensor(targets, batch, 'targets'),
    };
    const fetches: string[] = [GPT_IO.loss];
    if (options.logits ?? true) fetches.push(GPT_IO.logits);
    if (this.withAttention) {
      for (let layer = 0; layer < this.config.nLayers; layer++) fetches.push(GPT_IO.attentionProbs(layer));
    }
    const out = await this.model.session.run(feeds, fetches);
    const data = (name: string): Float32Array => out[name].data as Float32Array;
    const result: GptForwardOutput = { loss: data(GPT_IO.loss) };
    if (options.logits ?? true) result.logits = data(GPT_IO.logits);
    if (this.withAttention) {
      result.attentionProbs = Array.from({ length: this.config.nLayers }, (_, l) => data(GPT_IO.attentionProbs(l)));
    }
    if (result.loss.length !== batch * T) throw new Error('GptInference: unexpected loss shape');
    return result;
  }

  /** Per layer, the (B, nh, T, T) attention probabilities of `batch` sequences of (B, T) ids. */
  async attention(tokens: ArrayLike<number>, batch: number): Promise<Float32Array[]> {
    if (!this.withAttention) throw new Error('GptInference: built without attention outputs');
    const fetches = Array.from({ length: this.config.nLayers }, (_, l) => GPT_IO.attentionProbs(l));
    const out = await this.model.session.run({ [GPT_IO.tokens]: this.tokenTensor(tokens, batch, 'tokens') }, fetches);
    return fetches.map((name) => out[name].data as Float32Array);
  }

  async dispose(): Promise<void> {
    await this.model.session.release();
  }

  private tokenTensor(ids: ArrayLike<number>, batch: number, what: string): ort.Tensor {
    const T = this.seqLen;
    if (ids.length !== batch * T) {
      throw new Error(`GptInference: ${what} has ${ids.length} ids, expected batch ${batch} x ${T}`);
    }
    const V = this.config.vocabSize;
    const data = new Int32Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!Number.isInteger(id) || id < 0 || id >= V) {
        throw new Error(`GptInference: ${what}[${i}] = ${id} is not a token id in 0..${V - 1}`);
      }
      data[i] = id;
    }
    return new ort.Tensor(TOKEN_ID_TYPE, data, [batch, T]);
  }
}
