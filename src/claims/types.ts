/** What the claims engine hands to the report stage and writes to claims.json. */
import type { ClaimTest } from './schema.js';
import type { Output } from '../analyses/types.js';

export type Verdict =
  | 'reproduced'
  | 'not-reproduced'
  | 'trivial'
  | 'consistent'
  | 'inconsistent'
  | 'untestable'
  | 'pending';

export const VERDICTS: Verdict[] = [
  'reproduced',
  'not-reproduced',
  'trivial',
  'consistent',
  'inconsistent',
  'untestable',
  'pending',
];

/** Mean and spread of the null control's value over its seeds. */
export interface NullSummary {
  description: string;
  samples: Output[];
  /** mean of scalar samples, or elementwise mean of array samples */
  mean: Output;
  /** standard deviation, likewise */
  sd: Output;
  /** how many samples pass the claim's test */
  passing: number;
}

export interface ClaimResult {
  id: string;
  paper: string;
  quote: string;
  source: { section: string; table?: string; row?: string; column?: string };
  test: ClaimTest;
  /** the paper's side in words: "6,047", "< 0.012", "in [19.2, 53.6]", or the consistency expression */
  paperValue: string;
  /** the regenerated value (null when pending, untestable or a consistency check) */
  regenerated: Output | null;
  /** regenerated - paper, for value tests */
  delta: number | null;
  /** the tolerance in effect, for value tests */
  tolerance: number | null;
  null: NullSummary | null;
  verdict: Verdict;
  /** why this verdict, in a sentence a reviewer can check */
  reason: string;
  /** the analysis that produced the value, with its parameters */
  analysis: { name: string; output: string; index?: number; params?: Record<string, unknown> } | null;
  note?: string;
  /** the line of the spec that states the claim: file relative to the repository, 1-based line */
  specLine?: { file: string; line: number };
}

export interface RunInfo {
  profile: string;
  profileDescription: string;
  corpus: string;
  executionProvider: string;
  /** users' checkpoints that replaced zoo models, one line each (empty: every model is the zoo's own) */
  importedModels: string[];
  seeds: { master: number; nullSeeds: number };
  versions: Record<string, string>;
  commit: string;
  generatedAt: string;
  /** every stage this run loaded or computed, with its own wall seconds (the end-of-run table) */
  stageTimes: StageTime[];
}

export interface StageTime {
  stage: string;
  /** ran: computed now and stored; loaded: read from the cache; memory: computed now, not stored */
  how: 'ran' | 'loaded' | 'memory';
  seconds: number;
  /** the stage's group ('training'), summed apart in the tables */
  group?: string;
}

export interface AnalysisSummary {
  name: string;
  description: string;
  nullControl?: string;
  /** what its runs for this paper reported (readings of open methods, failures), without repeats */
  notes: string[];
}

export interface PaperResult {
  id: string;
  title: string;
  file: string;
  summary: string;
  toleranceRule: string;
  interpretations: { id: string; title: string; text: string }[];
  claims: ClaimResult[];
  /** the analyses behind the claims: what each measures, its null control, and its run's notes */
  analyses: AnalysisSummary[];
  /** Vega-Lite figures are built by the report stage from these */
  figures: FigureData[];
}

export type FigureData =
  | { id: string; kind: 'claims'; title: string; yLabel?: string; claims: string[] }
  | {
      id: string;
      kind: 'series';
      title: string;
      xLabel: string;
      yLabel: string;
      logY?: boolean;
      /** x of the first element (0 for an index, 1 for n = 1..N) */
      xStart?: number;
      analysis: string;
      /** the regenerated series, or null when the analysis is pending */
      values: number[] | null;
      /** null-control samples of the same series */
      nullSamples: number[][];
      pendingReason?: string;
    };
