/**
 * Claim -> verdict. Data tests (value, bound, range, predicate) compare the regenerated value with
 * the paper's and then run the same test on every null-control sample: a claim that the null
 * control satisfies as well (at least half of its seeds) carries no evidence and is `trivial`.
 * Consistency tests are judged on the paper's own numbers (consistency.ts).
 */
import type { Claim, ClaimTest } from './schema.js';
import type { ClaimResult, NullSummary, Verdict } from './types.js';
import type { AnalysisResult, Output } from '../analyses/types.js';
import { parsePrinted, formatDelta, formatNumber, formatOutput, formatTolerance } from './numbers.js';
import { checkConsistency, math } from './consistency.js';

/** What the pipeline knows about the analysis a claim references. */
export type AnalysisOutcome = { kind: 'done'; result: AnalysisResult } | { kind: 'pending'; reason: string };

const EPS = 1e-12;

type DataTest = Exclude<ClaimTest, { kind: 'consistency' } | { kind: 'untestable' }>;

/** Kept for the drift report (pipeline/drift.ts), which imports it from here. */
export { formatOutput };

export function describePaperSide(test: ClaimTest): string {
  switch (test.kind) {
    case 'value':
      return test.paper;
    case 'bound':
      return `${test.op} ${test.paper}`;
    case 'range':
      return `${test.min} – ${test.max}`;
    case 'predicate':
      return test.expr;
    case 'consistency':
      return `${test.expr} with ${Object.entries(test.vars)
        .map(([k, v]) => `${k} = ${Array.isArray(v) ? `[${v.join(', ')}]` : v}`)
        .join(', ')}`;
    case 'untestable':
      return '—';
  }
}

/** The value a claim looks at: one output, or one element of it. */
export function selectOutput(result: AnalysisResult['outputs'], output: string, index?: number): Output {
  const v = result[output];
  if (v === undefined) throw new Error(`the analysis produced no output "${output}"`);
  if (index === undefined) return v;
  if (!Array.isArray(v)) throw new Error(`output "${output}" is a number, not a list to index`);
  if (index >= v.length) throw new Error(`output "${output}" has ${v.length} elements, index ${index} is out of range`);
  return v[index];
}

function elements(x: Output): number[] {
  return typeof x === 'number' ? [x] : x;
}

function toleranceOf(test: Extract<DataTest, { kind: 'value' }>): number {
  const p = parsePrinted(test.paper);
  if (!test.tolerance) return p.halfUnit;
  return (test.tolerance.abs ?? 0) + (test.tolerance.rel ?? 0) * Math.abs(p.value);
}

/** Does a regenerated value pass the claim's test? */
export function passes(test: DataTest, x: Output): boolean {
  switch (test.kind) {
    case 'value': {
      if (typeof x !== 'number') throw new Error('a value test needs a single number (set analysis.index)');
      return Math.abs(x - parsePrinted(test.paper).value) <= toleranceOf(test) + EPS;
    }
    case 'bound': {
      const b = parsePrinted(test.paper).value;
      const ok = { '<': (v: number) => v < b, '<=': (v: number) => v <= b, '>': (v: number) => v > b, '>=': (v: number) => v >= b }[test.op];
      return elements(x).every((v) => Number.isFinite(v) && ok(v));
    }
    case 'range': {
      // A range quoted from a table's extremes: its ends are printed numbers, so widen by their rounding.
      const lo = parsePrinted(test.min);
      const hi = parsePrinted(test.max);
      return elements(x).every((v) => v >= lo.value - lo.halfUnit - EPS && v <= hi.value + hi.halfUnit + EPS);
    }
    case 'predicate': {
      const v = math.evaluate(test.expr, { x: typeof x === 'number' ? x : [...x] });
      if (typeof v !== 'boolean') throw new Error(`predicate "${test.expr}" did not give true or false`);
      return v;
    }
  }
}

function summarizeNull(test: DataTest, samples: Output[], description: string): NullSummary {
  const arrays = samples.map(elements);
  const width = arrays[0]?.length ?? 0;
  const mean: number[] = [];
  const sd: number[] = [];
  for (let j = 0; j < width; j++) {
    const col = arrays.map((a) => a[j]);
    const m = col.reduce((s, v) => s + v, 0) / col.length;
    mean.push(m);
    sd.push(col.length > 1 ? Math.sqrt(col.reduce((s, v) => s + (v - m) ** 2, 0) / (col.length - 1)) : 0);
  }
  const scalar = typeof samples[0] === 'number';
  let passing = 0;
  for (const s of samples) {
    try {
      if (passes(test, s)) passing++;
    } catch {
      // a null sample of another shape cannot pass
    }
  }
  return { description, samples, mean: scalar ? mean[0] : mean, sd: scalar ? sd[0] : sd, passing };
}

export function evaluateClaim(claim: Claim, paper: string, outcome: AnalysisOutcome | null): ClaimResult {
  const base: ClaimResult = {
    id: claim.id,
    paper,
    quote: claim.quote,
    source: claim.source,
    test: claim.test,
    paperValue: describePaperSide(claim.test),
    regenerated: null,
    delta: null,
    tolerance: null,
    null: null,
    verdict: 'untestable',
    reason: '',
    analysis: claim.analysis ? { ...claim.analysis } : null,
    ...(claim.note ? { note: claim.note } : {}),
    ...(claim.specLine ? { specLine: { ...claim.specLine } } : {}),
  };
  const test = claim.test;
  if (test.kind === 'untestable') return { ...base, verdict: 'untestable', reason: test.reason };
  if (test.kind === 'consistency') {
    const { holds, detail } = checkConsistency(test.expr, test.vars);
    return { ...base, verdict: holds ? 'consistent' : 'inconsistent', reason: detail };
  }
  if (!outcome || !claim.analysis) throw new Error(`claim ${claim.id}: no analysis outcome`);
  if (outcome.kind === 'pending') return { ...base, verdict: 'pending', reason: `waits for ${outcome.reason}` };

  const { output, index } = claim.analysis;
  const x = selectOutput(outcome.result.outputs, output, index);
  const ok = passes(test, x);
  const nullSamples = outcome.result.nulls?.[output]?.map((s) =>
    index === undefined ? s : (s as number[])[index],
  );
  const nul = nullSamples && nullSamples.length > 0
    ? summarizeNull(test, nullSamples, outcome.result.nullDescription ?? 'null control')
    : null;
  const delta = test.kind === 'value' && typeof x === 'number' ? x - parsePrinted(test.paper).value : null;
  const tolerance = test.kind === 'value' ? toleranceOf(test) : null;

  let verdict: Verdict;
  let reason: string;
  const nullFraction = nul ? `${nul.passing}/${nul.samples.length}` : '';
  if (!ok) {
    verdict = 'not-reproduced';
    reason = test.kind === 'value'
      ? `regenerated ${formatOutput(x)} differs from ${test.paper} by ${formatDelta(delta!)} (${formatTolerance(tolerance!)})`
      : `regenerated ${formatOutput(x)} does not satisfy ${describePaperSide(test)}`;
  } else if (nul && nul.passing * 2 >= nul.samples.length) {
    verdict = 'trivial';
    reason = `holds (${formatOutput(x)}), but the null control passes too in ${nullFraction} seeds (${nul.description})`;
  } else {
    verdict = 'reproduced';
    reason = test.kind === 'value'
      ? `regenerated ${formatOutput(x)} within ±${formatNumber(tolerance!)} of ${test.paper}`
      : `regenerated ${formatOutput(x)} satisfies ${describePaperSide(test)}`;
    if (nul) reason += `; null control passes in ${nullFraction} seeds`;
  }
  return { ...base, regenerated: x, delta, tolerance, null: nul, verdict, reason };
}
