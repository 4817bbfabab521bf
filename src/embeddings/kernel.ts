/**
 * The circular kernel k0 of the "MobiusKernel K0" step, and its circular convolution with every
 * row of a matrix along the embedding axis.
 *
 * Paper 51 (as quoted in Paper 54, section 1.1) writes the step as
 *   W = ifft2(fft2(D) * fft2(circ(k[0])))
 * We read circ(k0) as the (V, d) array whose first row is k0 and whose other rows are zero: its 2-D
 * circular convolution with D is exactly "each row of D circularly convolved with k0", so the
 * step is the 1-D convolution theorem applied row by row: W_i = ifft(fft(D_i) * fft(k0)).
 */
import FFT from 'fft.js';
import { type Matrix, zeros } from '../linalg/matrix.js';

export type KernelName = 'mobius' | 'gaussian' | 'identity';
export const KERNEL_NAMES: readonly KernelName[] = ['mobius', 'gaussian', 'identity'];

export interface KernelOptions {
  /** width (standard deviation, in embedding coordinates) of the 'gaussian' kernel; default d / 16 */
  gaussianWidth?: number;
}

/** The Möbius function mu(n): 0 if n has a squared prime factor, else (-1)^(number of prime factors). */
export function mobius(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`mobius: n must be a positive integer, got ${n}`);
  let m = n;
  let primeFactors = 0;
  for (let p = 2; p * p <= m; p++) {
    if (m % p !== 0) continue;
    m /= p;
    if (m % p === 0) return 0;
    primeFactors++;
  }
  if (m > 1) primeFactors++;
  return primeFactors % 2 === 0 ? 1 : -1;
}

/**
 * The kernel k0 (length d), scaled to unit L2 norm (the final embedding is rescaled anyway; unit
 * norm makes kernels comparable in the report).
 * - 'mobius':   k0[j] = mu(j + 1) / (j + 1), the Möbius function damped by 1/n. Its DC gain is the
 *               partial sum of mu(n)/n, which tends to 0, so it is close to a high-pass filter.
 * - 'gaussian': a circular Gaussian bump centered on coordinate 0 (symmetric: k0[j] = k0[d - j]),
 *               a low-pass filter with a real, positive frequency response.
 * - 'identity': the unit impulse; the step then leaves D unchanged (a control).
 */
export function makeKernel(name: KernelName, d: number, opts: KernelOptions = {}): Float64Array {
  if (!Number.isInteger(d) || d < 1) throw new Error(`makeKernel: length must be a positive integer, got ${d}`);
  const k = new Float64Array(d);
  switch (name) {
    case 'mobius':
      for (let j = 0; j < d; j++) k[j] = mobius(j + 1) / (j + 1);
      break;
    case 'gaussian': {
      const width = opts.gaussianWidth ?? d / 16;
      if (!(width > 0)) throw new Error(`makeKernel: gaussianWidth must be positive, got ${width}`);
      for (let j = 0; j < d; j++) {
        const distance = Math.min(j, d - j); // circular distance to coordinate 0
        k[j] = Math.exp(-(distance * distance) / (2 * width * width));
      }
      break;
    }
    case 'identity':
      k[0] = 1;
      break;
    default:
      throw new Error(`makeKernel: unknown kernel "${name as string}" (choose one of: ${KERNEL_NAMES.join(', ')})`);
  }
  let norm = 0;
  for (let j = 0; j < d; j++) norm += k[j] * k[j];
  norm = Math.sqrt(norm);
  for (let j = 0; j < d; j++) k[j] /= norm;
  return k;
}

/**
 * |fft(k)| at frequencies 0..floor(d/2) (the rest mirror them, since k is real). These are the
 * singular values of the circulant matrix circ(k); frequencies m and d - m share one value, which
 * is why a circular convolution produces paired spectra.
 */
export function kernelGains(k: Float64Array): Float64Array {
  const d = k.length;
  const gains = new Float64Array(Math.floor(d / 2) + 1);
  for (let m = 0; m < gains.length; m++) {
    let re = 0;
    let im = 0;
    for (let j = 0; j < d; j++) {
      const angle = (-2 * Math.PI * m * j) / d;
      re += k[j] * Math.cos(angle);
      im += k[j] * Math.sin(angle);
    }
    gains[m] = Math.hypot(re, im);
  }
  return gains;
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;
}

/**
 * W[i, j] = sum_m X[i, m] k[(j - m) mod d]: every row of X (rows, d) circularly convolved with k
 * (length d). Uses real FFTs (fft.js) when d is a power of two, else the direct O(d^2) sum.
 */
export function circularConvolveRows(x: Matrix, k: Float64Array): Matrix {
  const d = x.cols;
  if (k.length !== d) throw new Error(`circularConvolveRows: kernel length ${k.length} != row length ${d}`);
  if (!isPowerOfTwo(d)) return circularConvolveRowsDirect(x, k);

  const fft = new FFT(d);
  const kernelSpectrum = fft.createComplexArray() as number[]; // interleaved re, im; length 2d
  fft.realTransform(kernelSpectrum, k);
  const rowSpectrum = fft.createComplexArray() as number[];
  const rowBack = fft.createComplexArray() as number[];
  const row = new Float64Array(d);
  const w = zeros(x.rows, d);
  for (let i = 0; i < x.rows; i++) {
    const offset = i * d;
    for (let j = 0; j < d; j++) row[j] = x.data[offset + j];
    fft.realTransform(rowSpectrum, row);
    // realTransform fills frequencies 0..d/2; multiply those, then mirror (the product of two
    // real signals' spectra is again conjugate-symmetric).
    for (let m = 0; m <= d / 2; m++) {
      const re = rowSpectrum[2 * m] * kernelSpectrum[2 * m] - rowSpectrum[2 * m + 1] * kernelSpectrum[2 * m + 1];
      const im = rowSpectrum[2 * m] * kernelSpectrum[2 * m + 1] + rowSpectrum[2 * m + 1] * kernelSpectrum[2 * m];
      rowSpectrum[2 * m] = re;
      rowSpectrum[2 * m + 1] = im;
    }
    fft.completeSpectrum(rowSpectrum);
    fft.inverseTransform(rowBack, rowSpectrum);
    for (let j = 0; j < d; j++) w.data[offset + j] = rowBack[2 * j];
  }
  return w;
}

/** The same convolution by its definition, O(rows * d^2): the fallback for other d and the reference in tests. */
export function circularConvolveRowsDirect(x: Matrix, k: Float64Array): Matrix {
  const d = x.cols;
  if (k.length !== d) throw new Error(`circularConvolveRowsDirect: kernel length ${k.length} != row length ${d}`);
  const w = zeros(x.rows, d);
  for (let i = 0; i < x.rows; i++) {
    const offset = i * d;
    for (let m = 0; m < d; m++) {
      const xm = x.data[offset + m];
      if (xm === 0) continue;
      for (let j = 0; j < d; j++) w.data[offset + j] += xm * k[(j - m + d) % d];
    }
  }
  return w;
}
