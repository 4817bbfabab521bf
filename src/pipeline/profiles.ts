import { UserError } from '../core/errors.js';

/**
 * Profiles scale the whole pipeline. Every report states its profile in its header so that a reader
 * never mistakes a scaled-down run for the paper's setting.
 */
import type { GptConfig } from '../model/config.js';

export type { ModelShape, TrainingSettings, Profile } from '../core/profile.js';
import type { Profile } from '../core/profile.js';

/** The papers' corpus and embedding settings: 500k tokens, vocabulary 15,007, 4,000 active tokens, d 256. */
const PAPER_DATA = {
    vocabSize: 15007,
    statTokens: 500_000,
    validationTokens: 50_000,
    activeTokens: 4000,
    dModel: 256,
    maxTransitionPower: 8,
    nullSeeds: 5,
    seed: 1234,
};

/** The papers' model shape: 8 layers, 8 heads, block 512, MLP 1024 (10.2M parameters). */
const PAPER_MODEL = { nLayers: 8, nHeads: 8, blockSize: 512, dMlp: 1024 };

export const PROFILES: Record<Profile['name'], Profile> = {
  ci: {
    name: 'ci',
    description: 'small shapes for tests and drift gating (vocab 2,000, d 64, 8 layers, 100k statistics tokens; 300 SFT steps of 16 x 64 tokens)',
    vocabSize: 2000,
    statTokens: 100_000,
    validationTokens: 20_000,
    activeTokens: 1000,
    dModel: 64,
    maxTransitionPower: 8,
    nullSeeds: 3,
    seed: 1234,
    // 8 layers as in the paper, so that every per-layer claim (layers 0..7) has a layer to look
    // at; 8 heads of size 8; MLP 4d as in the paper (1024 = 4 x 256). 0.6M parameters.
    model: { nLayers: 8, nHeads: 8, blockSize: 64, dMlp: 256 },
    // Sized so that CI, which trains the whole zoo (CT+SFT, V1 and four distinct init variants,
    // about 1,000 steps), finishes it in about a minute on 2 cores: a step of 16 x 64 tokens takes
    // about 60 ms there. 300 steps x 1,024 tokens = 3 passes over the 100k training tokens. The
    // init variants keep the papers' 100 steps. lr 2e-3 suits a model this narrow (nanoGPT's
    // small configs use 1e-3 for d 384).
    training: {
      batchSize: 16,
      seqLen: 64,
      lr: 2e-3,
      warmup: 30,
      sftSteps: 300,
      initVariantSteps: 100,
      initVariantWarmup: 10,
      probeBatch: 32,
    },
  },
  laptop: {
    name: 'laptop',
    description: "the paper's shapes (vocab 15,007, d 256, 8 layers) on 500k tokens; context 128 and 800 SFT steps instead of 512 and 2,000",
    ...PAPER_DATA,
    model: PAPER_MODEL,
    // A shorter context (128) and fewer steps than the paper, so that the zoo trains in about half
    // an hour on 2 cores: a paper-shape step of 8 x 128 tokens takes about 0.7 s on the CPU EP there
    // (about 1,400 tokens/s), and the zoo takes 2 x 800 + 4 x 100 steps. 800 steps x 1,024 tokens
    // = 1.6 passes over the 500k training tokens.
    training: {
      batchSize: 8,
      seqLen: 128,
      lr: 1e-3,
      warmup: 50,
      sftSteps: 800,
      initVariantSteps: 100,
      initVariantWarmup: 10,
      probeBatch: 16,
    },
  },
  paper: {
    name: 'paper',
    description: "the paper's shapes and data sizes (vocab 15,007, d 256, 8 layers, 500k tokens, block 512, 2,000 SFT steps)",
    ...PAPER_DATA,
    model: PAPER_MODEL,
    // The paper's block of 512 and its 2,000 SFT steps. The papers give no batch size, learning
    // rate or schedule; 8 x 512 tokens a step makes 2,000 steps 8.2M tokens (16 passes over the
    // 500k tokens), which a GPU at the 100,000 tokens/s trains in under two minutes.
    training: {
      batchSize: 8,
      seqLen: 512,
      lr: 1e-3,
      warmup: 100,
      sftSteps: 2000,
      initVariantSteps: 100,
      initVariantWarmup: 10,
      probeBatch: 8,
    },
  },
};

/**
 * The GPT config of a profile for a corpus whose vocabulary has `vocabSize` entries (the corpus
 * may hold fewer word types than the profile asks for; the model must match the corpus).
 */
export function modelConfig(profile: Profile, vocabSize: number = profile.vocabSize): GptConfig {
  return { vocabSize, dModel: profile.dModel, ...profile.model };
}

export function profileByName(name: string): Profile {
  const p = (PROFILES as Record<string, Profile>)[name];
  if (!p) throw new UserError(`unknown profile "${name}" (choose one of: ${Object.keys(PROFILES).join(', ')})`);
  return p;
}
