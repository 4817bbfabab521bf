/**
 * Numbers as the paper prints them, and numbers as we print them.
 *
 * Reading: "0.0014" is not the real number 0.0014 but any number that rounds to it,
 * [0.00135, 0.00145]; that interval is what tolerances and consistency checks use.
 *
 * Writing: one set of rules for every text a reader sees (claim reasons in claims.json, report
 * cells, drift messages): 4 significant digits without trailing zeros, whole numbers in full with
 * thousands separators, the typographic minus (−), and "tol ±" for a tolerance. The CSV tables keep
 * full precision instead (see report/tables.ts).
 */
import type { Output } from '../analyses/types.js';

export interface PrintedNumber {
  /** the string as printed */
  text: string;
  /** its value, with "%" read as /100 */
  value: number;
  /** half a unit in the last printed digit, in the same scale as value */
  halfUnit: number;
}

/** Reads a number as printed ("15,007", "−0.5", "70.7%"); a percentage becomes a fraction. */
export function parsePrinted(text: string): PrintedNumber {
  const percent = text.endsWith('%');
  const body = (percent ? text.slice(0, -1) : text).replace(/,/g, '').replace('−', '-');
  const value = Number(body);
  if (!Number.isFinite(value)) throw new Error(`not a printed number: "${text}"`);
  const decimals = body.includes('.') ? body.length - body.indexOf('.') - 1 : 0;
  const scale = percent ? 0.01 : 1;
  return { text, value: value * scale, halfUnit: Number(`5e-${decimals + 1}`) * scale };
}

const SIGNIFICANT_DIGITS = 4;
/** Arrays longer than this are shown as their first ARRAY_HEAD elements and their length. */
export const ARRAY_SHOWN_IN_FULL = 5;
const ARRAY_HEAD = 3;

/**
 * One number for a reader, at most `digits` significant digits and no trailing zeros:
 * 15,007 · 0.7071 · 0.003 · 1.235e−5 · −0.5 · NaN · ∞. More digits are for the one place that
 * needs them: the ends of a consistency interval, which 4 digits would often print as equal.
 */
export function formatNumber(x: number, digits = SIGNIFICANT_DIGITS): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const sign = x < 0 ? '−' : '';
  const abs = Math.abs(x);
  // Whole numbers (token counts, vocabulary sizes) are printed in full, as papers print them.
  if (Number.isInteger(abs) && abs < 1e15) return sign + abs.toLocaleString('en-US');
  if (abs >= 1e6 || abs < 1e-4) {
    const [mantissa, exponent] = abs.toExponential(digits - 1).split('e');
    return `${sign}${stripTrailingZeros(mantissa)}e${exponent.replace('+', '').replace('-', '−')}`;
  }
  // Where `digits` significant digits leave no decimals, round to a whole number (toPrecision
  // would switch to e-notation).
  if (abs >= 10 ** (digits - 1)) return sign + Math.round(abs).toLocaleString('en-US');
  return sign + groupThousands(stripTrailingZeros(abs.toPrecision(digits)));
}

function stripTrailingZeros(decimal: string): string {
  return decimal.includes('.') ? decimal.replace(/\.?0+$/, '') : decimal;
}

/** 1234.5 -> 1,234.5 (reached only with more than 4 digits). */
function groupThousands(decimal: string): string {
  const [whole, fraction] = decimal.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** A signed difference: +0.0123, −2, 0. */
export function formatDelta(x: number): string {
  const text = formatNumber(x);
  return x > 0 ? `+${text}` : text;
}

/** The tolerance of a value test: `tol ±0.005`. */
export function formatTolerance(tolerance: number): string {
  return `tol ±${formatNumber(tolerance)}`;
}

/** A scalar, or an array shortened to `[a, b, c, … ×N]`; null (no value) is `—`. */
export function formatOutput(value: Output | null): string {
  if (value === null) return '—';
  if (typeof value === 'number') return formatNumber(value);
  if (value.length <= ARRAY_SHOWN_IN_FULL) return `[${value.map((v) => formatNumber(v)).join(', ')}]`;
  const head = value.slice(0, ARRAY_HEAD).map((v) => formatNumber(v)).join(', ');
  return `[${head}, … ×${value.length}]`;
}
