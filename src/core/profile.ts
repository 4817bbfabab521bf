/**
 * The shape of a profile: how big a run is. The values (ci, laptop, paper) live in
 * src/pipeline/profiles.ts; the types are here so that the stages below the pipeline can read a
 * profile without importing the pipeline.
 */

/**
 * The model's shape beyond the two numbers it shares with the corpus and embedding stages
 * (vocabulary size and width d come from the profile's vocabSize and dModel; see modelConfig).
 */
export interface ModelShape {
  nLayers: number;
  nHeads: number;
  /** rows of pos_emb: the longest sequence the model accepts */
  blockSize: number;
  /** hidden width of the MLP */
  dMlp: number;
}

/**
 * How the zoo trains. CT+SFT and V1 train the same number of steps on the same batches in the same
 * order (the same token budget, batchSize x seqLen x sftSteps tokens), so that their losses compare
 * like for like; the init variants of Papers 57 and 57b train initVariantSteps each, also on
 * identical batches.
 */
export interface TrainingSettings {
  /** sequences per step */
  batchSize: number;
  /** T: tokens per sequence, at most the model's blockSize */
  seqLen: number;
  /** peak learning rate of AdamW (warm-up, then cosine decay to lr / 10) */
  lr: number;
  /** warm-up steps of the CT+SFT and V1 runs */
  warmup: number;
  /** steps of CT+SFT (Paper 51: 2000) and of V1 */
  sftSteps: number;
  /** steps of each init variant (Papers 57 and 57b: 100) */
  initVariantSteps: number;
  /** warm-up steps of the init-variant runs */
  initVariantWarmup: number;
  /** sequences per forward pass when probing a model (validation loss, attention) */
  probeBatch: number;
}

export interface Profile {
  name: 'ci' | 'laptop' | 'paper';
  description: string;
  /** word-level vocabulary size, the unknown token included */
  vocabSize: number;
  /** the first statTokens tokens of the corpus feed every statistic */
  statTokens: number;
  /** tokens after the statistics window held out for validation */
  validationTokens: number;
  /** the most frequent tokens, for the dense active-token views (K_2 is 4000 x 4000 in Paper 54) */
  activeTokens: number;
  /** embedding width of the crystallized embeddings and the model */
  dModel: number;
  /** highest transition power n for E^T T^n E */
  maxTransitionPower: number;
  /** how many random draws a null control averages over */
  nullSeeds: number;
  /** master seed; every random draw derives from it */
  seed: number;
  model: ModelShape;
  training: TrainingSettings;
}
