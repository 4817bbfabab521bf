/**
 * Dense SVD timings against the LAPACK reference points in DESIGN.md (numpy on this 2-core
 * machine: 22, 54, 63, 430 ms), and the top-k SVD of a 4000 x 4000 matrix (bench/svd-topk.ts).
 * Inputs are seeded i.i.d. Gaussian matrices; each line also records an accuracy check so that a
 * fast but wrong result cannot pass unnoticed (relErr = ||A - U S V^T|| / ||A||).
 *
 * `--compare`: when python3 with numpy is installed, each dense shape is also timed with
 * np.linalg.svd(a, full_matrices=False) on the very same matrix (handed over as raw float64 in a
 * temporary file), in the same run, and the line gets numpyMs and ratio = ours / numpy.
 */
import type { BenchLine, BenchOptions } from './index.js';
import { medianMs } from './index.js';
import { gaussianMatrix, svd, matmulFast, transpose, zeros, type Matrix } from '../src/linalg/index.js';
import { warmUpThreads } from '../src/linalg/parallel.js';
import { runTopK } from './svd-topk.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  const numpy = opts.compare ? numpyAvailable() : false;
  if (opts.compare && !numpy) console.error('svd --compare: python3 with numpy not found; timing ours only');
  for (const [rows, cols, runs] of DENSE_SHAPES) {
    const a = gaussianMatrix(rows, cols, rows + cols);
    let result = svd(a);
    const ms = medianMs(opts.runs ?? runs, () => {
      result = svd(a);
    });
    const line: BenchLine = { bench: 'svd', shape: `${rows}x${cols}`, ms: round(ms), threads, relErr: relativeError(a, result).toExponential(1) };
    if (numpy) {
      const numpyMs = numpySvdMs(a, opts.runs ?? runs);
      line.numpyMs = round(numpyMs);
      line.ratio = Math.round((ms / numpyMs) * 100) / 100;
    }
    emit(line);
  }

  lines.push(...runTopK(opts, threads));
  return lines;
}

function numpyAvailable(): boolean {
  return spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
}

/** Median time of np.linalg.svd(a, full_matrices=False) after one warm-up call, in the same way as medianMs. */
const NUMPY_TIMER = `
import sys, time, numpy as np
path, rows, cols, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
a = np.fromfile(path, dtype='<f8').reshape(rows, cols)
np.linalg.svd(a, full_matrices=False)
times = []
for _ in range(runs):
    start = time.perf_counter()
    np.linalg.svd(a, full_matrices=False)
    times.append((time.perf_counter() - start) * 1000)
print(float(np.median(times)))
`;

function numpySvdMs(a: Matrix, runs: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'svd-bench-'));
  try {
    const path = join(dir, 'a.f64');
    // Float64Array bytes are little-endian on every platform Node runs on.
    writeFileSync(path, new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));
    const out = spawnSync('python3', ['-c', NUMPY_TIMER, path, String(a.rows), String(a.cols), String(runs)], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`numpy svd failed: ${out.stderr}`);
    return Number(out.stdout.trim());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
