/**
 * Co-occurrence statistics over the statistics window (corpus.statIds), all V x V sparse:
 *   K_2[i, j]      = #{p : ids[p] = i, ids[p + 1] = j}   (bigram counts: j right after i)
 *   K_3[i, j]      = #{p : ids[p] = i, ids[p + 2] = j}   (trigram counts, middle token summed out)
 *   K_3_skip       = K_2 + K_3                           (j one or two positions after i)
 *   T[i, j]        = K_2[i, j] / sum_j' K_2[i, j']       (row-normalized; rows without successors stay 0)
 * The window is one continuous stream: pairs across sentence and document boundaries count too.
 * The unknown token (id 0) is counted like any other id.
 */
import { addSparse, rowNormalizeSparse, sparseFromTriplets } from './sparse.js';
import type { Corpus, CorpusStatistics, SparseMatrix } from './types.js';

export function computeStatistics(corpus: Corpus, activeTokens: number): CorpusStatistics {
  if (!Number.isInteger(activeTokens) || activeTokens < 1) {
    throw new Error(`computeStatistics: activeTokens must be a positive integer, got ${activeTokens}`);
  }
  const vocabSize = corpus.vocab.length;
  const ids = corpus.statIds;

  const counts = new Float64Array(vocabSize);
  for (let p = 0; p < ids.length; p++) counts[ids[p]]++;

  // Active tokens: the most frequent ids, ties by id; at most the whole vocabulary.
  const byFrequency = Array.from({ length: vocabSize }, (_, id) => id);
  byFrequency.sort((a, b) => counts[b] - counts[a] || a - b);
  const active = Int32Array.from(byFrequency.slice(0, Math.min(activeTokens, vocabSize)));

  const k2 = countPairsAtDistance(ids, 1, vocabSize);
  const k3 = countPairsAtDistance(ids, 2, vocabSize);
  return {
    vocabSize,
    counts,
    active,
    k2,
    k3,
    k3skip: addSparse(k2, k3),
    transition: rowNormalizeSparse(k2),
  };
}

/** M[i, j] = number of positions p with ids[p] = i and ids[p + distance] = j. */
function countPairsAtDistance(ids: Int32Array, distance: number, vocabSize: number): SparseMatrix {
  const pairs = Math.max(0, ids.length - distance);
  return sparseFromTriplets(
    vocabSize,
    vocabSize,
    ids.subarray(0, pairs),
    ids.subarray(distance, distance + pairs),
    new Float64Array(pairs).fill(1),
  );
}
