/**
 * How numbers and claim fields read in the reports. Human-facing text uses 4 significant digits and
 * shortens long arrays; the CSV tables keep full precision (see csv.ts) so that nothing is lost.
 */
import type { Output } from '../analyses/types.js';
import type { ClaimResult, NullSummary } from '../claims/types.js';

const SIGNIFICANT_DIGITS = 4;
/** Arrays longer than this are shown as their first ARRAY_HEAD elements and their length. */
const ARRAY_SHOWN_IN_FULL = 5;
const ARRAY_HEAD = 3;

/**
 * One number for a reader, at most 4 significant digits and no trailing zeros:
 * 15,007 · 0.7071 · 0.003 · 1.235e−5 · −0.5 · NaN · ∞.
 */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const sign = x < 0 ? '−' : '';
  const abs = Math.abs(x);
  // Whole numbers (token counts, vocabulary sizes) are printed in full, as papers print them.
  if (Number.isInteger(abs) && abs < 1e15) return sign + abs.toLocaleString('en-US');
  if (abs >= 1e6 || abs < 1e-4) {
    const [mantissa, exponent] = abs.toExponential(SIGNIFICANT_DIGITS - 1).split('e');
    return `${sign}${stripTrailingZeros(mantissa)}e${exponent.replace('+', '').replace('-', '−')}`;
  }
  // From 1,000 on, 4 significant digits leave no decimals (toPrecision would switch to e-notation).
  if (abs >= 1000) return sign + Math.round(abs).toLocaleString('en-US');
  return sign + stripTrailingZeros(abs.toPrecision(SIGNIFICANT_DIGITS));
}

function stripTrailingZeros(decimal: string): string {
  return decimal.includes('.') ? decimal.replace(/\.?0+$/, '') : decimal;
}

/** A signed difference: +0.0123, −2, 0. */
export function formatDelta(x: number): string {
  const text = formatNumber(x);
  return x > 0 ? `+${text}` : text;
}

/** A scalar, or an array shortened to `[a, b, c, … ×N]`. */
export function formatOutput(value: Output): string {
  if (typeof value === 'number') return formatNumber(value);
  if (value.length <= ARRAY_SHOWN_IN_FULL) return `[${value.map(formatNumber).join(', ')}]`;
  const head = value.slice(0, ARRAY_HEAD).map(formatNumber).join(', ');
  return `[${head}, … ×${value.length}]`;
}

/**
 * The regenerated value for a table cell. Arrays also show their range, because bound and range
 * claims on per-layer lists are decided by their extremes.
 */
export function formatRegenerated(value: Output | null): string {
  if (value === null) return '—';
  if (typeof value === 'number' || value.length <= ARRAY_SHOWN_IN_FULL) return formatOutput(value);
  const finite = value.filter(Number.isFinite);
  if (finite.length === 0) return formatOutput(value);
  return `${formatOutput(value)} (range ${formatNumber(Math.min(...finite))} to ${formatNumber(Math.max(...finite))})`;
}

/**
 * `0.7071 ± 0.0123 (0/3 pass)`. For arrays, the elementwise mean and the largest sd, which is
 * what decides whether the null control overlaps the regenerated values.
 */
export function formatNullSummary(summary: NullSummary | null): string {
  if (summary === null) return '—';
  const passing = summary.samples.length > 0 ? ` (${summary.passing}/${summary.samples.length} pass)` : '';
  const sd = typeof summary.sd === 'number' ? formatNumber(summary.sd) : `up to ${formatNumber(Math.max(...summary.sd))}`;
  return `${formatOutput(summary.mean)} ± ${sd}${passing}`;
}

/** The delta cell: `+0.0123 (tol ±0.005)`, or `—` where no value test applies. */
export function formatDeltaCell(claim: ClaimResult): string {
  if (claim.delta === null) return '—';
  const tolerance = claim.tolerance === null ? '' : ` (tol\u00a0±${formatNumber(claim.tolerance)})`;
  return formatDelta(claim.delta) + tolerance;
}

/**
 * Where in the paper: `§3.1 · row Layer 0 · col PR`. Each part keeps its words together
 * (no-break spaces), so a narrow column breaks only between parts.
 */
export function formatWhere(source: ClaimResult['source']): string {
  // Numbered sections read as §3.1; named ones ("Appendix B") as they are.
  const parts = [/^\d/.test(source.section) ? `§${source.section}` : source.section];
  if (source.row !== undefined) parts.push(`row ${source.row}`);
  if (source.column !== undefined) parts.push(`col ${source.column}`);
  return parts.map(keepTogether).join(' · ');
}

/** Replaces spaces with no-break spaces in short texts; long ones may wrap anyway. */
export function keepTogether(text: string): string {
  return text.length <= 24 ? text.replace(/ /g, '\u00a0') : text;
}

/** A short label for a claim on a figure axis: its row and column, else its id. */
export function claimLabel(claim: ClaimResult): string {
  const parts = [claim.source.row, claim.source.column].filter((p): p is string => p !== undefined);
  return parts.length > 0 ? parts.join(' · ') : claim.id;
}

/** `name.output[index] (k=v, …)`: the analysis behind a claim, params in sorted order. */
export function formatAnalysis(analysis: NonNullable<ClaimResult['analysis']>): string {
  const index = analysis.index === undefined ? '' : `[${analysis.index}]`;
  const params = Object.keys(analysis.params ?? {})
    .sort()
    .map((key) => `${key}=${String(analysis.params![key])}`);
  return `${analysis.name}.${analysis.output}${index}${params.length > 0 ? ` (${params.join(', ')})` : ''}`;
}

/**
 * Parses a number as printed in a paper ("15,007", "−0.5", "70.7%"). A percentage becomes a
 * fraction (70.7% -> 0.707), the convention for regenerated shares.
 */
export function parsePaperNumber(printed: string): number {
  const plain = printed.replace(/,/g, '').replace('−', '-');
  return plain.endsWith('%') ? Number(plain.slice(0, -1)) / 100 : Number(plain);
}
