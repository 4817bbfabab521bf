import type { Matrix } from '../linalg/matrix.js';

/** The Crystallization Transform's output: token embeddings derived from corpus statistics alone. */
export interface CrystallizedEmbeddings {
  /** V x d token embeddings (the CT model's frozen tok_emb.weight) */
  embeddings: Matrix;
  /** V x d spectral embedding before the kernel step */
  spectral: Matrix;
  /** the circular kernel k0 (length d) applied along the embedding axis */
  kernel: Float64Array;
  /** the parameters that produced it, for the report */
  params: Record<string, number | string>;
}
