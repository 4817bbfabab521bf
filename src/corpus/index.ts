/** The corpus stage: text -> tokens -> vocabulary ids -> co-occurrence statistics. */
export * from './types.js';
export { loadCorpus, corpusFromText, MIN_CORPUS_TOKENS, type CorpusOptions } from './load.js';
export { tokenize, forEachToken } from './tokenizer.js';
export { stripBrownTags, looksLikeXmlDump, stripXmlDump, stripWikiMarkup, decodeEntities } from './markup.js';
export { computeStatistics } from './statistics.js';
export {
  sparseFromTriplets,
  sparseToDense,
  sparseGet,
  nonZeros,
  transposeSparse,
  addSparse,
  rowNormalizeSparse,
  symmetricPartSparse,
  antisymmetricPartSparse,
  frobeniusNormSparse,
  antisymmetricNormSparse,
  sparseTimesDense,
  sparseTransposeTimesDense,
  activeBlock,
  projectSparse,
  projectedPowers,
} from './sparse.js';
