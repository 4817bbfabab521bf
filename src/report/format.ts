/**
 * How claim fields read in the reports. Numbers follow the one set of rules in claims/numbers.ts,
 * which the claim reasons use too; the CSV tables keep full precision (see tables.ts) so that
 * nothing is lost.
 */
import type { Output } from '../analyses/types.js';
import { ARRAY_SHOWN_IN_FULL, formatDelta, formatNumber, formatOutput, formatTolerance } from '../claims/numbers.js';
import type { ClaimResult, NullSummary } from '../claims/types.js';

/**
 * The regenerated value for a table cell. Arrays that formatOutput shortens also show their range,
 * because bound and range claims on per-layer lists are decided by their extremes.
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

/**
 * The delta cell: `+0.0123 (tol ±0.005)`, or `—` where no value test applies. A no-break space
 * keeps "tol ±0.005" on one line.
 */
export function formatDeltaCell(claim: ClaimResult): string {
  if (claim.delta === null) return '—';
  const tolerance = claim.tolerance === null ? '' : ` (${keepTogether(formatTolerance(claim.tolerance))})`;
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
