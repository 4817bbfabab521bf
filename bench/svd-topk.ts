/**
 * Top-32 singular triplets of a seeded 4000 x 4000 Gaussian matrix (a flat spectrum: the hardest
 * case for a Krylov solver) by topKSvd, to its default tolerance. With `--compare`, scipy's
 * `svds(a, k=32)` (ARPACK) runs on the same matrix in python3, in the same bench run, and the
 * line adds its time, the ratio ours / scipy and both maximum residuals. The matrix goes to
 * python as a raw float64 file in a temporary folder. Without python3 or scipy the line says so.
 *
 * Run alone: `npx tsx bench/svd-topk.ts` (with the scipy comparison; `--runs N` for N timed
 * runs, default 3), or `npm run bench -- svd-topk --compare`; `bench svd` runs it after the
 * dense shapes.
 *
 * Residuals, for each triplet: ||A v - s u|| / s and ||A^T u - s v|| / s, maximum over the k
 * triplets and both kinds. (Both solvers compute U from A V, so the first is ~1e-15 by
 * construction; the second is the one that tells how far the iteration went.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchLine, BenchOptions } from './index.js';
import { medianMs } from './index.js';
import { gaussianMatrix, matmulFast, matmulTransA, topKSvd, warmUpThreads, type Matrix } from '../src/linalg/index.js';

const N = 4000;
const K = 32;

export function runTopK(opts: BenchOptions, threads: number): BenchLine[] {
  const a = gaussianMatrix(N, N, 4000);
  let top = topKSvd(a, K, { seed: 1 });
  const ms = medianMs(opts.runs ?? 3, () => {
    top = topKSvd(a, K, { seed: 1 });
  });
  const line: BenchLine = {
    bench: 'svd-topk', shape: `${N}x${N}`, k: K, ms: round(ms), threads,
    sigma1: round(top.S[0]), sigmaK: round(top.S[K - 1]),
    maxResidual: maxRelativeResidual(a, top.U, top.S, top.V).toExponential(1),
    matvecs: top.matvecs, cycles: top.iterations,
  };
  if (opts.compare) Object.assign(line, compareWithScipy(a, opts.runs ?? 3, ms));
  opts.report(line);
  return [line];
}

/** The bench module (`bench svd-topk`). */
export async function run(opts: BenchOptions): Promise<BenchLine[]> {
  return runTopK(opts, warmUpThreads());
}

/** scipy svds on the same matrix: its median ms, ours / its, its max residual; or why not. */
function compareWithScipy(a: Matrix, runs: number, oursMs: number): Record<string, string | number> {
  const folder = mkdtempSync(join(tmpdir(), 'svd-topk-'));
  try {
    const matrixFile = join(folder, 'a.f64');
    writeFileSync(matrixFile, new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));
    const script = `
import json, sys, time
try:
    import numpy as np
    from scipy.sparse.linalg import svds
except ImportError as e:
    print(json.dumps({"error": "scipy unavailable: " + str(e)})); sys.exit(0)
n, k, runs = ${a.rows}, ${K}, ${runs}
a = np.fromfile(${JSON.stringify(matrixFile)}, dtype="<f8").reshape(n, n)
svds(a, k=k)  # warm-up, as medianMs does for ours
times = []
for _ in range(runs):
    t = time.perf_counter(); u, s, vt = svds(a, k=k); times.append((time.perf_counter() - t) * 1000)
r1 = np.linalg.norm(a @ vt.T - u * s, axis=0) / s
r2 = np.linalg.norm(a.T @ u - vt.T * s, axis=0) / s
print(json.dumps({"ms": float(np.median(times)), "maxResidual": float(max(r1.max(), r2.max()))}))
`;
    const run = spawnSync('python3', ['-c', script], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (run.error) return { scipy: `python3 unavailable (${run.error.message}); ours only` };
    if (run.status !== 0) return { scipy: `python3 failed: ${run.stderr.trim().split('\n').pop()}; ours only` };
    const theirs = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { ms: number; maxResidual: number; error?: string };
    if (theirs.error !== undefined) return { scipy: `${theirs.error}; ours only` };
    return { scipyMs: round(theirs.ms), ratio: Math.round((oursMs / theirs.ms) * 100) / 100, scipyMaxResidual: theirs.maxResidual.toExponential(1) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** max over triplets of ||A v - s u|| / s and ||A^T u - s v|| / s */
export function maxRelativeResidual(a: Matrix, u: Matrix, s: Float64Array, v: Matrix): number {
  const av = matmulFast(a, v); // (m, k)
  const atu = matmulTransA(a, u); // (n, k)
  const k = s.length;
  let worst = 0;
  for (let j = 0; j < k; j++) {
    let left = 0;
    let right = 0;
    for (let i = 0; i < a.rows; i++) left += (av.data[i * k + j] - s[j] * u.data[i * k + j]) ** 2;
    for (let i = 0; i < a.cols; i++) right += (atu.data[i * k + j] - s[j] * v.data[i * k + j]) ** 2;
    worst = Math.max(worst, Math.sqrt(left) / s[j], Math.sqrt(right) / s[j]);
  }
  return worst;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

// Run directly: one JSON line, scipy included.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const at = process.argv.indexOf('--runs');
  const runs = at > 0 ? Number(process.argv[at + 1]) : undefined;
  void run({ runs, compare: true, report: (line) => console.log(JSON.stringify(line)) });
}
