/**
 * qkv-corpus-correlation and spectral-band-energy: Paper 54's test of Paper 51's conjecture that
 * trained Q, K, V are views of corpus co-occurrence (sections 2.3, 3.1, 3.2 and 5.1).
 *
 * Our reading. Q, K and V are the three (d, d) row blocks of a layer's c_attn as stored (PyTorch
 * (out, in) layout, src/zoo/attention.ts). A corpus view is a (d, d) matrix E_a^T X E_a (section
 * 2.3's "E_active^T @ K_n @ E_active"), E_a the rows of E at the active tokens (the most frequent,
 * CorpusStatistics.active) and X the counts K_2, K_3 or K_3_skip over those tokens; 'K_2^T' is the
 * transpose of the K_2 view; 'EtE' is E^T E over the whole vocabulary (the paper writes E^T@E with
 * no restriction); 'I' is the identity. E is the crystallized embedding with params.embedding
 * 'crystallized', the reading the paper spec's interpretation states; V1 learns its own
 * embeddings from a random init, so that its Q, K, V read inputs in the basis of its tok_emb, and
 * params.embedding 'model' projects with that instead (the other reading; the notes say which
 * ran). 'attn-K_2' is the model's attention-weighted K_2 over the active tokens
 * (src/zoo/probes.ts: rows the earlier token, columns the later, mean over heads) projected the
 * same way, with params.attention 'mean' averaged over layers (one matrix, as the paper names
 * one); 'layer' pairs each layer's Q, K, V with that layer's own attention instead. Both params
 * are readings of the paper, so the spec states them: they have no default.
 * 'attn-K_2^T' is its transpose. r is the Pearson correlation of the d^2 entries of the weight
 * block with those of the view, entry (i, j) against entry (i, j). The "all" outputs take every
 * layer, all three matrices and all eight views (VIEWS below).
 *
 * For the band energy, the eigenbasis of projected K_2 is that of its symmetric part
 * (P + P^T) / 2, P = E_a^T K_2 E_a, eigenvectors u_1..u_d ordered by eigenvalue, largest
 * (algebraic) first, so that the paper's "top eigenvectors" are band 0. The energy of W along u_i
 * is ||W u_i||^2: the basis lives in embedding space, and the input side of W (its columns) is the
 * side that reads embedding-space vectors; params.side 'output' takes ||u_i^T W||^2 instead. The
 * ||W u_i||^2 sum to ||W||_F^2 over i, so the band shares sum to one. The paper's bands 0-32,
 * 32-64, 64-128, 128-256 of d = 256 are the fractions 0-1/8, 1/8-1/4, 1/4-1/2, 1/2-1 of d, and
 * are scaled so at other widths (d 64: 0-8, 8-16, 16-32, 32-64). bandShare is the mean over layers
 * of each layer's shares (every layer counts once, as in the correlation means).
 *
 * Null control: Q, K, V of the same architecture at random init (GPT-2 init, one init per null
 * seed) against the same views and basis, which keeps the corpus side fixed and asks what r and
 * the shares are when the weights know nothing of the corpus (r ~ N(0, 1/d^2) per layer; shares
 * about band width / d).
 */
import { rememberInRun } from './run-memo.js';
import { z } from 'zod';
import type { AnalysisContext, Output } from './types.js';
import { type NullDraw, nullControl } from './null-control.js';
import { type AnalysisDeclaration, defineAnalysis, oneOf } from './params.js';
import type { CorpusStatistics, SparseMatrix } from '../corpus/types.js';
import { projectSparse } from '../corpus/sparse.js';
import type { GptConfig } from '../model/config.js';
import { initParameters } from '../model/init.js';
import type { ModelWeights } from '../model/weights.js';
import { identity, matmulFast, matmulTransA, matmulTransASymmetric, type Matrix, mean, pearson, symmetricEig, transpose, zeros } from '../linalg/index.js';
import { type AttentionBlock, attentionMatrix, symmetricPart } from '../zoo/attention.js';
import type { ZooModelName } from '../zoo/zoo.js';
import { zooModel } from './model-params.js';

const MATRICES = ['Q', 'K', 'V'] as const;
type MatrixName = (typeof MATRICES)[number];
const BLOCK: Record<MatrixName, AttentionBlock> = { Q: 'q', K: 'k', V: 'v' };

/** The views in the order of Paper 54's table 3.1, then the attention-weighted K_2 of 5.1. */
const VIEWS = ['K_2', 'K_2^T', 'K_3', 'K_3_skip', 'EtE', 'I', 'attn-K_2', 'attn-K_2^T'] as const;
type ViewName = (typeof VIEWS)[number];

/** Band edges as fractions of d: the paper's 0, 32, 64, 128, 256 of d = 256. */
const BAND_EDGES = [0, 1 / 8, 1 / 4, 1 / 2, 1] as const;

/** Both analyses draw their null inits from this stream, so they see the same random inits. */
const NULL_STREAM = 'qkv-corpus';

/** The params both analyses take: whose Q, K, V, and which E projects the corpus (no default: a reading of the paper). */
const settingParams = {
  model: zooModel.default('v1'),
  embedding: oneOf(['crystallized', 'model']),
};

export const qkvCorpusCorrelation = {
  name: 'qkv-corpus-correlation',
  description:
    "Pearson r between the entries of each layer's Q, K, V ((d, d) row blocks of c_attn) of params.model (default v1) and projected corpus views E_a^T X E_a (params.view: K_2, K_2^T, K_3, K_3_skip, EtE, I, attn-K_2, attn-K_2^T), E the crystallized embedding (params.embedding 'crystallized') or the model's tok_emb ('model') restricted to the active tokens; the attention views averaged over layers (params.attention 'mean') or each layer's own ('layer')",
  outputs: {
    meanR: 'mean over layers of r, per (matrix, view) pair selected by params.matrix and params.view',
    meanAbsR: 'mean over layers of |r|, per (matrix, view)',
    maxAbsR: 'largest |r| over layers, per (matrix, view)',
    maxAbsRAll: 'largest |r| over all layers, matrices (Q, K, V) and the eight views',
    meanAbsRAll: 'mean |r| over all layers, matrices (Q, K, V) and the eight views',
    perLayerR: 'r per layer (array, one per layer), for params.matrix and params.view',
  },
  nullControl: 'the same correlations for the same architecture at random init (the views held fixed)',
  params: z
    .strictObject({
      ...settingParams,
      attention: oneOf(['mean', 'layer']),
      /** the (matrix, view) pair of meanR, meanAbsR, maxAbsR, perLayerR: both or neither */
      matrix: oneOf(MATRICES).optional(),
      view: oneOf(VIEWS).optional(),
    })
    .superRefine((p, ctx) => {
      if (p.matrix === undefined && p.view !== undefined) ctx.addIssue({ code: 'custom', path: ['matrix'], message: `one of ${MATRICES.join(', ')} (params.view needs it)` });
      if (p.view === undefined && p.matrix !== undefined) ctx.addIssue({ code: 'custom', path: ['view'], message: `one of ${VIEWS.join(', ')} (params.matrix needs it)` });
    }),
} satisfies AnalysisDeclaration;

export const spectralBandEnergy = {
  name: 'spectral-band-energy',
  description:
    "share of the Frobenius energy of params.matrix (Q, K or V of each layer of params.model, default v1) along the eigenvectors of the symmetric part of projected K_2 (E_a^T K_2 E_a over the active tokens, E per params.embedding: 'crystallized' or the model's tok_emb, 'model'), in the eigen-bands 0-1/8, 1/8-1/4, 1/4-1/2, 1/2-1 of d (0-32, 32-64, 64-128, 128-256 at d = 256), mean over layers",
  outputs: { bandShare: 'energy share per band (array of 4), for params.matrix, mean over layers' },
  nullControl: 'random init of the same architecture; uniform expectation = band width / d',
  params: z.strictObject({
    ...settingParams,
    matrix: oneOf(MATRICES),
    side: oneOf(['input', 'output']).default('input'),
  }),
} satisfies AnalysisDeclaration;

interface Setting {
  model: ZooModelName;
  embedding: 'model' | 'crystallized';
}

/** (V, d) copy of tok_emb as Float64. */
function tokenEmbedding(weights: ModelWeights, config: GptConfig): Matrix {
  const t = weights.get('tok_emb.weight');
  if (t === undefined) throw new Error("qkv-corpus: no 'tok_emb.weight'");
  return { rows: config.vocabSize, cols: config.dModel, data: Float64Array.from(t.data) };
}

/** E with the rows of inactive tokens zeroed: E'^T X E' = E_a^T X[active, active] E_a. */
function activeRowsOnly(e: Matrix, active: Int32Array): Matrix {
  const out = zeros(e.rows, e.cols);
  for (const id of active) out.data.set(e.data.subarray(id * e.cols, (id + 1) * e.cols), id * e.cols);
  return out;
}

/** (n, d): the rows of E at the active tokens, in the order of `active`. */
function activeRowsDense(e: Matrix, active: Int32Array): Matrix {
  const out = zeros(active.length, e.cols);
  active.forEach((id, p) => out.data.set(e.data.subarray(id * e.cols, (id + 1) * e.cols), p * e.cols));
  return out;
}

interface Projection {
  stats: CorpusStatistics;
  /** the embedding matrix E (V, d) */
  e: Matrix;
  /** E with inactive rows zeroed */
  eActive: Matrix;
  project: (x: SparseMatrix) => Matrix;
}

function projection(ctx: AnalysisContext, s: Setting): Promise<Projection> {
  return rememberInRun(ctx, `projection ${s.model} ${s.embedding}`, async (): Promise<Projection> => {
    const stats = await ctx.statistics();
    const e =
      s.embedding === 'crystallized'
        ? (await ctx.embeddings()).embeddings
        : await (async () => {
            const m = await ctx.zoo().model(s.model);
            return tokenEmbedding(m.weights, m.config);
          })();
    if (e.rows !== stats.vocabSize) throw new Error(`qkv-corpus: E has ${e.rows} rows, the statistics ${stats.vocabSize} tokens`);
    const eActive = activeRowsOnly(e, stats.active);
    return { stats, e, eActive, project: (x) => projectSparse(x, eActive) };
  });
}

/** E_a^T A E_a for a dense (n, n) matrix over the active tokens. */
function projectDense(a: Float64Array, eActiveDense: Matrix): Matrix {
  const n = eActiveDense.rows;
  return matmulTransA(eActiveDense, matmulFast({ rows: n, cols: n, data: a }, eActiveDense));
}

/** The views of each layer (the attention views may differ by layer; the rest are shared). */
function correlationViews(ctx: AnalysisContext, s: Setting, attention: 'mean' | 'layer'): Promise<Record<ViewName, Matrix>[]> {
  return rememberInRun(ctx, `views ${s.model} ${s.embedding} ${attention}`, async () => {
    const { stats, e, eActive, project } = await projection(ctx, s);
    const zoo = ctx.zoo();
    const config = (await zoo.model(s.model)).config;
    const d = e.cols;
    const k2 = project(stats.k2);
    const shared = {
      K_2: k2,
      'K_2^T': transpose(k2),
      K_3: project(stats.k3),
      K_3_skip: project(stats.k3skip),
      EtE: matmulTransASymmetric(e, e),
      I: identity(d),
    };
    const eDense = activeRowsDense(eActive, stats.active);
    const attentionView = async (layer?: number): Promise<Matrix> =>
      projectDense(await zoo.attentionWeightedBigrams(s.model, stats.active, layer), eDense);
    const withAttention = (a: Matrix): Record<ViewName, Matrix> => ({ ...shared, 'attn-K_2': a, 'attn-K_2^T': transpose(a) });
    if (attention === 'mean') {
      const views = withAttention(await attentionView());
      return Array.from({ length: config.nLayers }, () => views);
    }
    const perLayer: Record<ViewName, Matrix>[] = [];
    for (let l = 0; l < config.nLayers; l++) perLayer.push(withAttention(await attentionView(l)));
    return perLayer;
  });
}

type QKV = Record<MatrixName, Matrix>;

function layerBlocks(weights: ModelWeights, config: GptConfig): QKV[] {
  return Array.from({ length: config.nLayers }, (_, l) => ({
    Q: attentionMatrix(weights, config, l, BLOCK.Q),
    K: attentionMatrix(weights, config, l, BLOCK.K),
    V: attentionMatrix(weights, config, l, BLOCK.V),
  }));
}

/** Q, K, V per layer of a null draw's random init, built once per run for all invocations. */
function randomInitBlocks(ctx: AnalysisContext, config: GptConfig, draw: NullDraw): QKV[] {
  const seed = draw.seed('init');
  return rememberInRun(ctx, `null init ${seed} ${JSON.stringify(config)}`, () => layerBlocks(initParameters(config, seed), config));
}

/** r[matrix][view][layer]. */
type CorrelationTable = Record<MatrixName, Record<ViewName, number[]>>;

function correlationTable(blocks: QKV[], views: Record<ViewName, Matrix>[]): CorrelationTable {
  const table = {} as CorrelationTable;
  for (const m of MATRICES) {
    table[m] = {} as Record<ViewName, number[]>;
    for (const v of VIEWS) table[m][v] = blocks.map((b, l) => pearson(b[m].data, views[l][v].data));
  }
  return table;
}

function correlationOutputs(table: CorrelationTable, pair: { matrix: MatrixName; view: ViewName } | null): Record<string, Output> {
  const all = MATRICES.flatMap((m) => VIEWS.flatMap((v) => table[m][v]));
  const outputs: Record<string, Output> = {
    maxAbsRAll: Math.max(...all.map(Math.abs)),
    meanAbsRAll: mean(all.map(Math.abs)),
  };
  if (pair !== null) {
    const r = table[pair.matrix][pair.view];
    outputs.perLayerR = r;
    outputs.meanR = mean(r);
    outputs.meanAbsR = mean(r.map(Math.abs));
    outputs.maxAbsR = Math.max(...r.map(Math.abs));
  }
  return outputs;
}

export const qkvCorpusCorrelationAnalysis = defineAnalysis({
  ...qkvCorpusCorrelation,
  async run(ctx, params) {
    const s: Setting = { model: params.model, embedding: params.embedding };
    const { attention } = params;
    // the schema lets matrix and view come only together
    const pair = params.matrix !== undefined && params.view !== undefined ? { matrix: params.matrix, view: params.view } : null;
    const model = await ctx.zoo().model(s.model);
    const views = await correlationViews(ctx, s, attention);
    const outputs = correlationOutputs(correlationTable(layerBlocks(model.weights, model.config), views), pair);

    const nulls = nullControl(ctx, NULL_STREAM, (draw) => correlationOutputs(correlationTable(randomInitBlocks(ctx, model.config, draw), views), pair));
    const { stats } = await projection(ctx, s);
    const d = model.config.dModel;
    return {
      outputs,
      nulls,
      nullDescription: `Q, K, V of the same architecture at random init (GPT-2 init), ${ctx.profile.nullSeeds} seeds, against the same views; r of unrelated (${d}, ${d}) matrices is about N(0, 1/${d * d}), |r| about ${(Math.sqrt(2 / Math.PI) / d).toFixed(4)}`,
      notes: [
        `E = ${s.embedding === 'model' ? `the ${s.model} model's tok_emb` : 'the crystallized embeddings'}, restricted to the ${stats.active.length} active tokens for the count views (E^T E over all ${stats.vocabSize}); the attention-weighted K_2 is ${s.model}'s own, ${attention === 'mean' ? 'averaged over heads and layers' : "each layer's own, averaged over heads"}.`,
      ],
    };
  },
});

/** Band edges in eigenvector indices for width d. */
function bandEdges(d: number): number[] {
  return BAND_EDGES.map((f) => Math.round(f * d));
}

/** Share of ||W||_F^2 along the eigenvectors (columns of u) in each band. */
function bandShares(w: Matrix, u: Matrix, side: 'input' | 'output', edges: number[]): number[] {
  const d = u.rows;
  const energy = new Float64Array(d);
  if (side === 'input') {
    const wu = matmulFast(w, u); // column i = W u_i
    for (let r = 0; r < d; r++) for (let i = 0; i < d; i++) energy[i] += wu.data[r * d + i] ** 2;
  } else {
    const uw = matmulTransA(u, w); // row i = u_i^T W
    for (let i = 0; i < d; i++) for (let c = 0; c < d; c++) energy[i] += uw.data[i * d + c] ** 2;
  }
  const total = energy.reduce((s, x) => s + x, 0);
  return edges.slice(0, -1).map((start, b) => energy.subarray(start, edges[b + 1]).reduce((s, x) => s + x, 0) / total);
}

function meanBandShares(blocks: QKV[], matrix: MatrixName, u: Matrix, side: 'input' | 'output', edges: number[]): number[] {
  const perLayer = blocks.map((b) => bandShares(b[matrix], u, side, edges));
  return edges.slice(0, -1).map((_, band) => mean(perLayer.map((shares) => shares[band])));
}

export const spectralBandEnergyAnalysis = defineAnalysis({
  ...spectralBandEnergy,
  async run(ctx, params) {
    const s: Setting = { model: params.model, embedding: params.embedding };
    const { matrix, side } = params;
    const model = await ctx.zoo().model(s.model);
    const basis = await rememberInRun(ctx, `k2 eigenbasis ${s.model} ${s.embedding}`, async () => {
      const { stats, project } = await projection(ctx, s);
      return symmetricEig(symmetricPart(project(stats.k2))).vectors; // columns, largest eigenvalue first
    });
    const d = model.config.dModel;
    const edges = bandEdges(d);
    const bandShare = meanBandShares(layerBlocks(model.weights, model.config), matrix, basis, side, edges);
    const nulls = nullControl(ctx, NULL_STREAM, (draw) => ({ bandShare: meanBandShares(randomInitBlocks(ctx, model.config, draw), matrix, basis, side, edges) }));
    const bands = edges.slice(0, -1).map((start, b) => `${start}-${edges[b + 1]}`);
    const uniform = edges.slice(0, -1).map((start, b) => ((edges[b + 1] - start) / d).toFixed(3));
    return {
      outputs: { bandShare },
      nulls,
      nullDescription: `${matrix} of the same architecture at random init (GPT-2 init), ${ctx.profile.nullSeeds} seeds, in the same basis; the uniform expectation is band width / d = ${uniform.join(', ')}`,
      notes: [
        `Bands of eigenvector indices at d = ${d}: ${bands.join(', ')} (the paper's 0-32, 32-64, 64-128, 128-256 at d = 256, scaled by d). Energy along u_i is ${side === 'input' ? '||W u_i||^2 (input side)' : '||u_i^T W||^2 (output side)'}; eigenbasis of the symmetric part of E_a^T K_2 E_a, E = ${s.embedding === 'model' ? `the ${s.model} model's tok_emb` : 'the crystallized embeddings'}; shares averaged over the ${model.config.nLayers} layers.`,
      ],
    };
  },
});
