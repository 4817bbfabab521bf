/**
 * Profiles scale the whole pipeline. Every report states its profile in its header so that a reader
 * never mistakes a scaled-down run for the paper's setting.
 */
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
}

export const PROFILES: Record<Profile['name'], Profile> = {
  ci: {
    name: 'ci',
    description: 'small shapes for tests and drift gating (vocab 2,000, d 64, 100k statistics tokens)',
    vocabSize: 2000,
    statTokens: 100_000,
    validationTokens: 20_000,
    activeTokens: 1000,
    dModel: 64,
    maxTransitionPower: 8,
    nullSeeds: 3,
    seed: 1234,
  },
  laptop: {
    name: 'laptop',
    description: "the paper's shapes (vocab 15,007, d 256) on 500k tokens; fewer training steps",
    vocabSize: 15007,
    statTokens: 500_000,
    validationTokens: 50_000,
    activeTokens: 4000,
    dModel: 256,
    maxTransitionPower: 8,
    nullSeeds: 5,
    seed: 1234,
  },
  paper: {
    name: 'paper',
    description: "the paper's shapes and data sizes (vocab 15,007, d 256, 500k tokens)",
    vocabSize: 15007,
    statTokens: 500_000,
    validationTokens: 50_000,
    activeTokens: 4000,
    dModel: 256,
    maxTransitionPower: 8,
    nullSeeds: 5,
    seed: 1234,
  },
};

export function profileByName(name: string): Profile {
  const p = (PROFILES as Record<string, Profile>)[name];
  if (!p) throw new Error(`unknown profile "${name}" (choose one of: ${Object.keys(PROFILES).join(', ')})`);
  return p;
}
