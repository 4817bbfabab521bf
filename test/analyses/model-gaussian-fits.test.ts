/**
 * model-gaussian-fits on the tiny zoo: the fits are gaussianDecomposition's against the spectrum of
 * the model's tok_emb, energies in the E^T E eigenbasis match an SVD of E, E's own energy is its
 * eigenvalues (r = 1), lists follow params.matrix, and each null is a same-norm Gaussian matrix.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  eigenbasisEnergy,
  embeddingEigenbasis,
  leadingDims,
  modelGaussianFitsAnalysis,
  weightMatrix,
} from '../../src/analyses/model-gaussian-fits.js';
import { gaussianDecomposition } from '../../src/analyses/gaussian-fits.js';
import type { AnalysisResult } from '../../src/analyses/types.js';
import { energyDims, frobeniusNorm, gaussianMatrix, matmulFast, singularValues, svd, transpose } from '../../src/linalg/index.js';
import { attentionMatrix } from '../../src/zoo/attention.js';
import { tempDir, tinyZoo, tinyAnalysisContext } from '../zoo/fixture.js';

const dir = tempDir('model-gaussian-fits-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const { zoo } = tinyZoo(dir);
const ctx = tinyAnalysisContext(zoo);

/** The decomposition's sizes, which a spec must state (8 rows: the tiny zoo's matrices are small). */
const SIZES = { rows: 8, gaussians: 4, l2Gaussians: 3 };
const FITS = { ...SIZES, init: 'even' as const };

const run = async (params: Record<string, string | number>): Promise<AnalysisResult> => {
  const result = await modelGaussianFitsAnalysis.run!(ctx, { ...SIZES, ...params });
  if ('pending' in result) throw new Error('pending');
  return result;
};

describe('eigenbasis energy', () => {
  it('agrees with an SVD of E, sums to ||W||^2, and projects the d-long side', () => {
    const e = gaussianMatrix(40, 6, 1);
    const basis = embeddingEigenbasis(e);
    const { S, V } = svd(e);
    basis.spectral.singularValues.forEach((s, i) => expect(s).toBeCloseTo(S[i], 10));
    const tall = gaussianMatrix(9, 6, 2); // rows 6 long: ||W v_i||^2
    const wide = gaussianMatrix(6, 11, 3); // columns 6 long: ||W^T v_i||^2
    const direct = (wv: ReturnType<typeof matmulFast>): number[] =>
      Array.from({ length: 6 }, (_, i) => Array.from({ length: wv.rows }, (_, r) => wv.data[r * 6 + i] ** 2).reduce((a, b) => a + b, 0));
    // eigenvectors are defined up to sign, energies are not
    Array.from(eigenbasisEnergy(tall, basis.vectors)).forEach((x, i) => expect(x).toBeCloseTo(direct(matmulFast(tall, V))[i], 10));
    Array.from(eigenbasisEnergy(wide, basis.vectors)).forEach((x, i) => expect(x).toBeCloseTo(direct(matmulFast(transpose(wide), V))[i], 10));
    const total = eigenbasisEnergy(wide, basis.vectors).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(frobeniusNorm(wide) ** 2, 10);
    expect(() => eigenbasisEnergy(gaussianMatrix(5, 7, 4), basis.vectors)).toThrow(/no side of length d = 6/);
  });

  it('counts leading components in the given order, not sorted by energy', () => {
    expect(leadingDims(Float64Array.of(1, 1, 1, 1), 0.5)).toBe(2);
    expect(leadingDims(Float64Array.of(1, 1, 1, 1), 0.9)).toBe(4);
    expect(leadingDims(Float64Array.of(0, 0, 3, 1), 0.5)).toBe(3);
  });
});

describe('model-gaussian-fits on the tiny zoo', () => {
  it('fits a weight matrix as gaussianDecomposition does, against the spectrum of the model\'s tok_emb', async () => {
    const model = await zoo.model('ct-init');
    const w = weightMatrix(model.weights, model.config, 'blocks.0.mlp.0.weight'); // (32, 16)
    const e = weightMatrix(model.weights, model.config, 'tok_emb.weight');
    const basis = embeddingEigenbasis(e);
    const direct = gaussianDecomposition(w, { ...FITS, seed: ctx.profile.seed, basis: basis.spectral });
    const result = await run({ matrix: 'blocks.0.mlp.0.weight', rows: 8 }); // ct-init and init 'even' by default
    const o = result.outputs;
    expect(o.l1Mse).toBe(direct.l1Mse);
    expect(o.l1R2).toBe(direct.l1R2);
    expect(o.l2Mse).toBe(direct.l2Mse);
    expect(o.l2R2).toBe(direct.l2R2);
    expect(o.centerEvR).toBe(direct.centerEvR);
    expect(o.centerEvP).toBe(direct.centerEvP);
    expect(o.sigmaSpacingR).toBe(direct.sigmaSpacingR);
    expect(o.ampSvR).toBe(direct.ampSvR);
    expect(Number.isFinite(o.ampSvR as number)).toBe(true);
    expect(o.l1R2 as number).toBeLessThanOrEqual(1);
    // energies along the right singular vectors of E, in eigenvalue order
    const energy = eigenbasisEnergy(w, svd(e).V);
    expect(o.energyDims50).toBe(leadingDims(energy, 0.5));
    expect(o.energyDims90).toBe(leadingDims(energy, 0.9));
    expect(o.energyDims50 as number).toBeLessThanOrEqual(o.energyDims90 as number);
    expect(o.energyDims90 as number).toBeLessThanOrEqual(16);

    expect(Object.keys(o).sort()).toEqual(Object.keys(modelGaussianFitsAnalysis.outputs).sort());
    expect(Object.keys(result.nulls!).sort()).toEqual(Object.keys(modelGaussianFitsAnalysis.outputs).sort());
    for (const samples of Object.values(result.nulls!)) {
      expect(samples).toHaveLength(ctx.profile.nullSeeds);
      for (const x of samples) expect(typeof x).toBe('number');
    }
    // different noise matrices per seed
    expect(result.nulls!.l1Mse[0]).not.toBe(result.nulls!.l1Mse[1]);
  });

  it('gives r = 1 and the spectrum\'s energy dims for tok_emb, and lists in params.matrix order', async () => {
    const model = await zoo.model('ct-init');
    const e = weightMatrix(model.weights, model.config, 'tok_emb.weight');
    const names = 'tok_emb.weight, blocks.1.mlp.2.weight,blocks.0.attn.q';
    const result = await run({ matrix: names, rows: 8 });
    const o = result.outputs as Record<string, number[]>;
    for (const values of Object.values(o)) expect(values).toHaveLength(3);

    // E's energy along the i-th eigenvector of E^T E is the i-th eigenvalue
    expect(o.energyEigenvalueR[0]).toBeCloseTo(1, 10);
    const s = singularValues(e);
    expect(o.energyDims50[0]).toBe(energyDims(s, 0.5));
    expect(o.energyDims90[0]).toBe(energyDims(s, 0.9));

    // each element is the single-matrix result; its null too (seeded by the matrix's name)
    const alone = await run({ matrix: 'blocks.1.mlp.2.weight', rows: 8 });
    for (const k of Object.keys(alone.outputs)) {
      expect(o[k][1], k).toBe(alone.outputs[k]);
      expect((result.nulls![k] as number[][]).map((sample) => sample[1]), k).toEqual(alone.nulls![k]);
    }
    // Q block: the first (d, d) rows of c_attn
    const q = gaussianDecomposition(attentionMatrix(model.weights, model.config, 0, 'q'), {
      ...FITS,
      seed: ctx.profile.seed,
      basis: embeddingEigenbasis(e).spectral,
    });
    expect(o.l1R2[2]).toBe(q.l1R2);

    // null: noise against E's basis, so tok_emb's r = 1 is gone
    const nullR = (result.nulls!.energyEigenvalueR as number[][]).map((sample) => sample[0]);
    expect(nullR).toHaveLength(ctx.profile.nullSeeds);
    for (const r of nullR) expect(Math.abs(r)).toBeLessThan(0.99);
  });

  it('rejects a missing or unknown matrix, a bad init and missing sizes', async () => {
    await expect(run({})).rejects.toThrow(/params.matrix is required: one or more weight matrix names/);
    await expect(run({ matrix: 'blocks.0.attn.c_attn.bias' })).rejects.toThrow(/2-D weights/);
    await expect(run({ matrix: 'blocks.9.attn.q' })).rejects.toThrow(/2 layers/);
    await expect(run({ matrix: 'tok_emb.weight,' })).rejects.toThrow(/params.matrix must be one or more weight matrix names separated by commas, got "tok_emb.weight,"/);
    await expect(run({ matrix: 'tok_emb.weight', init: 'middle' })).rejects.toThrow(/params.init/);
    await expect(run({ matrix: 'tok_emb.weight', model: 'v2' })).rejects.toThrow(/params.model/);
    // no default sizes: Paper 56's 32, 4 and 3 are its spec's to state
    await expect(modelGaussianFitsAnalysis.run!(ctx, { matrix: 'tok_emb.weight', rows: 8 })).rejects.toThrow(/params.gaussians is required: a positive integer; params.l2Gaussians is required/);
  });
});
