import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeStatistics, loadCorpus, MIN_CORPUS_TOKENS, sparseGet, UNKNOWN_TOKEN } from '../../src/corpus/index.js';
import { UserError } from '../../src/core/errors.js';

const directory = mkdtempSync(join(tmpdir(), 'corpus-test-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const small = { vocabSize: 50, statTokens: 1500, validationTokens: 300 };

function writeCorpus(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

/** The UserError that `load` throws; fails the test if it throws nothing or something else. */
function userErrorOf(load: () => unknown): UserError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError, nothing was thrown');
}

describe('loadCorpus on files', () => {
  it('loads plain text', () => {
    const path = writeCorpus('plain.txt', 'The cat sat on the mat. '.repeat(300)); // 7 tokens a sentence
    const corpus = loadCorpus(path, small);
    expect(corpus.format).toBe('plain');
    expect(corpus.name).toBe(path);
    expect(corpus.totalTokens).toBe(2100);
    // The first 1500 tokens are 214 sentences and "the cat": the 429, cat 215, then a tie at 214
    // broken by code-unit order ('.' before letters).
    expect(corpus.vocab).toEqual([UNKNOWN_TOKEN, 'the', 'cat', '.', 'mat', 'on', 'sat']);
    expect(corpus.statIds.length).toBe(1500);
    expect(corpus.validationIds.length).toBe(300);
  });

  it('detects and strips an XML dump', () => {
    const page = (i: number): string =>
      `<page><title>T${i}</title><revision><text xml:space="preserve">'''Word${i % 5}''' links [[a b|shown]] here.</text></revision></page>\n`;
    const xml = `<mediawiki version="0.3">\n${Array.from({ length: 400 }, (_, i) => page(i)).join('')}</mediawiki>\n`;
    const corpus = loadCorpus(writeCorpus('dump.xml', xml), small);
    expect(corpus.format).toBe('xml');
    expect(corpus.totalTokens).toBe(400 * 5); // word, links, shown, here, .
    expect(corpus.vocab).not.toContain('page');
    expect(corpus.vocab).not.toContain('a');
    expect(corpus.vocab).toContain('shown');
  });

  it('names the path and the problem when the file is missing, a directory, empty or too short', () => {
    const missing = join(directory, 'nope.txt');
    expect(userErrorOf(() => loadCorpus(missing, small)).message).toBe(`corpus file "${missing}": not found`);
    expect(userErrorOf(() => loadCorpus(directory, small)).message).toMatch(/^corpus file ".*corpus-test-.*": not a regular file/);
    const empty = writeCorpus('empty.txt', '');
    expect(userErrorOf(() => loadCorpus(empty, small)).message).toBe(`corpus file "${empty}": empty (no word tokens)`);
    const markupOnly = writeCorpus('markup.xml', '<mediawiki><page><text>{{template only}}</text></page></mediawiki>');
    expect(userErrorOf(() => loadCorpus(markupOnly, small)).message).toMatch(/markup\.xml": empty \(no word tokens in its <text> elements\)/);
    const short = writeCorpus('short.txt', 'word '.repeat(MIN_CORPUS_TOKENS - 1));
    expect(userErrorOf(() => loadCorpus(short, small)).message).toBe(
      `corpus file "${short}": only ${MIN_CORPUS_TOKENS - 1} tokens, at least ${MIN_CORPUS_TOKENS} are needed`,
    );
  });

  it('rejects impossible options', () => {
    expect(userErrorOf(() => loadCorpus('brown', { ...small, vocabSize: 1 })).message).toMatch(/vocabSize: must be an integer >= 2/);
  });
});

describe('loadCorpus on the embedded Brown Corpus', () => {
  const opts = { vocabSize: 2000, statTokens: 100_000, validationTokens: 20_000 };
  const corpus = loadCorpus('brown', opts);

  it('has the size and the vocabulary of the Brown Corpus', () => {
    // 1,161,192 tagged tokens; abbreviations such as "Mr." split into two, so a little more.
    expect(corpus.totalTokens).toBeGreaterThan(1_161_192);
    expect(corpus.totalTokens).toBeLessThan(1_200_000);
    expect(corpus.format).toBe('brown');
    expect(corpus.vocab).toHaveLength(2000);
    expect(corpus.vocab.slice(0, 2)).toEqual([UNKNOWN_TOKEN, 'the']);
    expect(corpus.vocab).toContain(',');
    expect(new Set(corpus.vocab).size).toBe(2000);
    expect(corpus.statIds).toHaveLength(100_000);
    expect(corpus.validationIds).toHaveLength(20_000);
    expect(corpus.uniqueTokens).toBeGreaterThan(8000);
    expect(corpus.uniqueTokens).toBeLessThan(20_000);
    // First file, ca01, begins "The/at Fulton/np-tl County/nn-tl Grand/jj-tl Jury/nn-tl said/vbd".
    expect(corpus.vocab[corpus.ids[0]]).toBe('the');
    expect(corpus.vocab[corpus.ids[5]]).toBe('said');
  });

  it('has statistics that make sense for English', () => {
    const stats = computeStatistics(corpus, 1000);
    const unknownRate = stats.counts[0] / corpus.statIds.length;
    expect(unknownRate).toBeGreaterThan(0.05);
    expect(unknownRate).toBeLessThan(0.25);
    // ids 1.. are in descending frequency over the statistics window
    for (let id = 2; id < 2000; id++) expect(stats.counts[id]).toBeLessThanOrEqual(stats.counts[id - 1]);
    const sum = (values: Float64Array): number => values.reduce((s, x) => s + x, 0);
    expect(sum(stats.k2.values)).toBe(99_999);
    expect(sum(stats.k3.values)).toBe(99_998);
    expect(sum(stats.k3skip.values)).toBe(199_997);
    // "of the" is common, "the of" is not: bigrams are directional
    const id = (word: string): number => corpus.vocab.indexOf(word);
    expect(sparseGet(stats.k2, id('of'), id('the'))).toBeGreaterThan(500);
    expect(sparseGet(stats.k2, id('the'), id('of'))).toBeLessThan(10);
    expect(stats.active).toHaveLength(1000);
  });

  it('is deterministic', () => {
    const again = loadCorpus('brown', opts);
    expect(again.vocab).toEqual(corpus.vocab);
    expect(Buffer.from(again.ids.buffer).equals(Buffer.from(corpus.ids.buffer))).toBe(true);
  });
});
