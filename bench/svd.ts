/**
 * Dense SVD timings against the LAPACK reference points in DESIGN.md (numpy on this 2-core
 * machine: 22, 54, 63, 430 ms), and the top-k SVD of a 4000 x 4000 matrix (bench/svd-topk.ts).
 * Inputs are seeded i.i.d. Gaussian matrices; each line also records an accuracy check so that a
 * fast but wrong result cannot pass unnoticed (relErr = ||A - U S V^T|| / ||A||).
 */
import type { BenchLine, BenchOptions } from './index.js';
import { medianMs } from './index.js';
import { gaussianMatrix, svd, matmulFast, transpose, zeros, type Matrix } from '../src/linalg/index.js';
import { warmUpThreads } from '../src/linalg/parallel.js';
import { runTopK } from './svd-topk.js';

const DENSE_SHAPES: [number, number, number][] = [
  // rows, cols, timed runs
  [256, 256, 7],
  [768, 256, 5],
  [1024, 256, 5],
  [15007, 256, 3],
];

export async function run(opts: BenchOptions): Promise<BenchLine[]> {
  const lines: BenchLine[] = [];
  const emit = (line: BenchLine) => {
    lines.push(line);
    opts.report(line);
  };
  // Thread start-up (tens of ms, once per process) is not part of any measurement.
  const threads = warmUpThreads();
  for (const [rows, cols, runs] of DENSE_SHAPES) {
    const a = gaussianMatrix(rows, cols, rows + cols);
    let result = svd(a);
    const ms = medianMs(opts.runs ?? runs, () => {
      result = svd(a);
    });
    emit({ bench: 'svd', shape: `${rows}x${cols}`, ms: round(ms), threads, relErr: relativeError(a, result).toExponential(1) });
  }

  lines.push(...runTopK(opts, threads));
  return lines;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

/** ||A - U S V^T|| / ||A|| */
function relativeError(a: Matrix, r: ReturnType<typeof svd>): number {
  const k = r.S.length;
  const us = zeros(r.U.rows, k);
  for (let i = 0; i < r.U.rows; i++) for (let j = 0; j < k; j++) us.data[i * k + j] = r.U.data[i * k + j] * r.S[j];
  const rebuilt = matmulFast(us, transpose(r.V));
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < a.data.length; i++) {
    diff += (rebuilt.data[i] - a.data[i]) ** 2;
    norm += a.data[i] ** 2;
  }
  return Math.sqrt(diff / norm);
}
