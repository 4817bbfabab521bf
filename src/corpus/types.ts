/** What the corpus stage hands to every later stage. */

export const UNKNOWN_TOKEN = '<unk>';

export interface Corpus {
  /** 'brown' for the embedded default, else the file's path as given */
  name: string;
  /** 'plain' or 'xml' (enwik8-style dump, markup stripped) or 'brown' */
  format: 'brown' | 'plain' | 'xml';
  /** every token of the corpus, as vocabulary ids (0 = the unknown token) */
  ids: Int32Array;
  /** id -> word; vocab[0] is the unknown token; ids 1.. in descending frequency over the statistics window */
  vocab: string[];
  /** ids[0 : statTokens] feed the statistics (and the training data of later stages) */
  statIds: Int32Array;
  /** held-out ids right after the statistics window */
  validationIds: Int32Array;
  /** distinct word types (before vocabulary truncation) among the statistics tokens */
  uniqueTokens: number;
  /** word tokens in the whole corpus */
  totalTokens: number;
  /**
   * what the loader had to shorten (a held-out split or statistics window cut by the corpus end, a
   * vocabulary smaller than asked for); absent when nothing was. Reports should show these.
   */
  warnings?: string[];
}

/** Compressed sparse rows, Float64 values. */
export interface SparseMatrix {
  rows: number;
  cols: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  values: Float64Array;
}

export interface CorpusStatistics {
  vocabSize: number;
  /** unigram counts over the statistics window, by id */
  counts: Float64Array;
  /** ids of the active tokens: the `activeTokens` most frequent, most frequent first */
  active: Int32Array;
  /** K_2[i, j] = count of token j right after token i */
  k2: SparseMatrix;
  /** K_3[i, j] = count of token j two positions after token i (trigram, middle summed out) */
  k3: SparseMatrix;
  /** K_3_skip = counts at distance 1 or 2 (K_2 + K_3) */
  k3skip: SparseMatrix;
  /** T = K_2 row-normalized (rows without successors stay zero) */
  transition: SparseMatrix;
}
