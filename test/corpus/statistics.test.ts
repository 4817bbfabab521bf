import { describe, expect, it } from 'vitest';
import { computeStatistics, corpusFromText, sparseToDense, UNKNOWN_TOKEN } from '../../src/corpus/index.js';
import type { SparseMatrix } from '../../src/corpus/index.js';

/** Rows of the dense copy, for comparing against matrices written out by hand. */
function rowsOf(m: SparseMatrix): number[][] {
  const dense = sparseToDense(m);
  return Array.from({ length: m.rows }, (_, i) => Array.from(dense.data.subarray(i * m.cols, (i + 1) * m.cols)));
}

function isCsrSorted(m: SparseMatrix): boolean {
  for (let r = 0; r < m.rows; r++) {
    for (let t = m.rowPtr[r] + 1; t < m.rowPtr[r + 1]; t++) if (m.colIdx[t] <= m.colIdx[t - 1]) return false;
  }
  return true;
}

describe('corpusFromText on "a b a c a b"', () => {
  const corpus = corpusFromText('a b a c a b', { vocabSize: 4, statTokens: 6, validationTokens: 0 }, { name: 'toy', format: 'plain' });

  it('builds the vocabulary by frequency and maps tokens to ids', () => {
    // counts: a 3, b 2, c 1
    expect(corpus.vocab).toEqual([UNKNOWN_TOKEN, 'a', 'b', 'c']);
    expect(Array.from(corpus.ids)).toEqual([1, 2, 1, 3, 1, 2]);
    expect(Array.from(corpus.statIds)).toEqual([1, 2, 1, 3, 1, 2]);
    expect(corpus.validationIds.length).toBe(0);
    expect(corpus.uniqueTokens).toBe(3);
    expect(corpus.totalTokens).toBe(6);
    expect(corpus.warnings).toBeUndefined();
  });

  // Order of rows and columns: <unk>, a, b, c.
  const stats = computeStatistics(corpus, 2);

  it('counts unigrams and picks the active tokens', () => {
    expect(stats.vocabSize).toBe(4);
    expect(Array.from(stats.counts)).toEqual([0, 3, 2, 1]);
    expect(Array.from(stats.active)).toEqual([1, 2]);
    // more active tokens than the vocabulary: all ids, ties (unk and nothing else at 0) by id
    expect(Array.from(computeStatistics(corpus, 10).active)).toEqual([1, 2, 3, 0]);
  });

  it('K_2 counts each token right after another', () => {
    // pairs: (a,b) (b,a) (a,c) (c,a) (a,b)
    expect(rowsOf(stats.k2)).toEqual([
      [0, 0, 0, 0],
      [0, 0, 2, 1],
      [0, 1, 0, 0],
      [0, 1, 0, 0],
    ]);
  });

  it('K_3 counts tokens two positions apart', () => {
    // pairs at distance 2: (a,a) (b,c) (a,a) (c,b)
    expect(rowsOf(stats.k3)).toEqual([
      [0, 0, 0, 0],
      [0, 2, 0, 0],
      [0, 0, 0, 1],
      [0, 0, 1, 0],
    ]);
  });

  it('K_3_skip counts distances 1 and 2', () => {
    expect(rowsOf(stats.k3skip)).toEqual([
      [0, 0, 0, 0],
      [0, 2, 2, 1],
      [0, 1, 0, 1],
      [0, 1, 1, 0],
    ]);
  });

  it('T is K_2 row-normalized, the row without successors stays zero', () => {
    expect(rowsOf(stats.transition)).toEqual([
      [0, 0, 0, 0],
      [0, 0, 2 / 3, 1 / 3],
      [0, 1, 0, 0],
      [0, 1, 0, 0],
    ]);
  });

  it('stores CSR with sorted columns and no zeros', () => {
    for (const m of [stats.k2, stats.k3, stats.k3skip, stats.transition]) {
      expect(isCsrSorted(m)).toBe(true);
      expect(Array.from(m.values).every((v) => v !== 0)).toBe(true);
    }
    expect(stats.k2.rowPtr[4]).toBe(4); // four distinct bigrams
  });
});

describe('corpusFromText windows and vocabulary', () => {
  it('maps words outside the vocabulary to <unk>, ties broken alphabetically', () => {
    // counts: x 2, b 1, a 1, c 1 -> keep x, then a (alphabetically before b and c)
    const corpus = corpusFromText('x b a x c', { vocabSize: 3, statTokens: 5, validationTokens: 0 }, { name: 't', format: 'plain' });
    expect(corpus.vocab).toEqual([UNKNOWN_TOKEN, 'x', 'a']);
    expect(Array.from(corpus.ids)).toEqual([1, 0, 2, 1, 0]);
    expect(corpus.uniqueTokens).toBe(4);
  });

  it('builds the vocabulary from the statistics window only and holds out what follows', () => {
    const corpus = corpusFromText('x y z x w v', { vocabSize: 10, statTokens: 4, validationTokens: 1 }, { name: 't', format: 'plain' });
    expect(corpus.vocab).toEqual([UNKNOWN_TOKEN, 'x', 'y', 'z']);
    expect(corpus.uniqueTokens).toBe(3);
    expect(Array.from(corpus.statIds)).toEqual([1, 2, 3, 1]);
    expect(Array.from(corpus.validationIds)).toEqual([0]); // w, unseen in the statistics window
    expect(corpus.totalTokens).toBe(6);
    // a vocabulary of 4 instead of 10 is reported
    expect(corpus.warnings?.join(' ')).toMatch(/4 entries instead of 10/);
  });

  it('shortens the held-out split when the corpus ends, with a warning', () => {
    const corpus = corpusFromText('a b c d e f', { vocabSize: 10, statTokens: 5, validationTokens: 3 }, { name: 't', format: 'plain' });
    expect(corpus.statIds.length).toBe(5);
    expect(corpus.validationIds.length).toBe(1);
    expect(corpus.warnings?.join(' ')).toMatch(/leave 1 of the 3 validation tokens/);
  });

  it('splits a corpus shorter than the statistics window in proportion', () => {
    const text = Array.from({ length: 100 }, (_, i) => `w${i % 7}`).join(' ');
    const corpus = corpusFromText(text, { vocabSize: 10, statTokens: 900, validationTokens: 100 }, { name: 't', format: 'plain' });
    expect(corpus.statIds.length).toBe(90);
    expect(corpus.validationIds.length).toBe(10);
    expect(corpus.warnings?.join(' ')).toMatch(/fewer than the 900 statistics tokens/);
  });
});
