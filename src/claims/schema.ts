/**
 * The paper-spec format. A spec is all the paper-specific knowledge there is: which numbers the
 * paper states, where, how each is tested, and which analysis regenerates it. Specs are TypeScript
 * files in papers/ whose default export is validated here at load, so a broken spec fails with the
 * file and field named instead of half-way through a run.
 *
 * Numbers from the paper are kept as the strings the paper prints ("0.0014", "15,007", "70.7%"):
 * the printed precision is part of the claim, and tolerances and consistency checks are derived
 * from it (see claims/numbers.ts).
 */
import { z } from 'zod';

/** A number as printed in the paper: optional sign, thousands separators, decimals, optional %. */
export const PaperNumber = z
  .string()
  .regex(/^[-+−]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?%?$/, 'a number as printed, e.g. "0.0014", "15,007" or "70.7%"')
  .refine((s) => /\d/.test(s), 'a number as printed must contain a digit');

export const Source = z
  .object({
    section: z.string().min(1),
    table: z.string().optional(),
    row: z.string().optional(),
    column: z.string().optional(),
  })
  .strict();

export const Tolerance = z
  .object({
    abs: z.number().nonnegative().optional(),
    rel: z.number().nonnegative().optional(),
  })
  .strict()
  .refine((t) => t.abs !== undefined || t.rel !== undefined, 'a tolerance needs abs or rel');

/** Regenerated value within tolerance of the paper's value. */
const ValueTest = z
  .object({
    kind: z.literal('value'),
    paper: PaperNumber,
    /** Omitted: half a unit in the last printed digit (the paper's stated precision). */
    tolerance: Tolerance.optional(),
    rule: z.string().min(1),
  })
  .strict();

/** Regenerated value (every element, for a per-layer list) on the stated side of a bound. */
const BoundTest = z
  .object({
    kind: z.literal('bound'),
    op: z.enum(['<', '<=', '>', '>=']),
    paper: PaperNumber,
    rule: z.string().optional(),
  })
  .strict();

/** Regenerated value (every element) inside [min, max]. */
const RangeTest = z
  .object({
    kind: z.literal('range'),
    min: PaperNumber,
    max: PaperNumber,
    rule: z.string().optional(),
  })
  .strict();

/** A qualitative statement as a mathjs boolean expression over the regenerated value `x`. */
const PredicateTest = z
  .object({
    kind: z.literal('predicate'),
    expr: z.string().min(1),
    rule: z.string().optional(),
  })
  .strict();

/**
 * Arithmetic or cross-paper check on the paper's own numbers, as a mathjs expression whose
 * variables are numbers quoted from the papers. Judged without any regenerated data.
 */
const ConsistencyTest = z
  .object({
    kind: z.literal('consistency'),
    expr: z.string().min(1),
    vars: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.union([PaperNumber, z.array(PaperNumber)])),
    rule: z.string().optional(),
  })
  .strict();

const UntestableTest = z
  .object({
    kind: z.literal('untestable'),
    reason: z.string().min(1),
  })
  .strict();

export const ClaimTest = z.discriminatedUnion('kind', [
  ValueTest,
  BoundTest,
  RangeTest,
  PredicateTest,
  ConsistencyTest,
  UntestableTest,
]);

/** Which analysis regenerates a claim, and which of its outputs is the claim's value. */
export const AnalysisRef = z
  .object({
    name: z.string().min(1),
    output: z.string().min(1),
    /** pick one element of an array output */
    index: z.number().int().nonnegative().optional(),
    params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
  })
  .strict();

export const Claim = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case letters, digits, dots and dashes'),
    quote: z.string().min(1),
    source: Source,
    test: ClaimTest,
    analysis: AnalysisRef.optional(),
    note: z.string().optional(),
    /** where the spec file states this claim; set at load (spec-lines.ts), not written in specs */
    specLine: z.object({ file: z.string(), line: z.number().int().positive() }).strict().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const needsData = ['value', 'bound', 'range', 'predicate'].includes(c.test.kind);
    if (needsData && !c.analysis) {
      ctx.addIssue({ code: 'custom', path: ['analysis'], message: `a ${c.test.kind} test needs an analysis` });
    }
    if (!needsData && c.analysis) {
      ctx.addIssue({ code: 'custom', path: ['analysis'], message: `a ${c.test.kind} test takes no analysis` });
    }
  });

export const Interpretation = z
  .object({ id: z.string().min(1), title: z.string().min(1), text: z.string().min(1) })
  .strict();

/** A figure overlays paper values, regenerated values and the null control for a set of claims. */
const ClaimsFigure = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    kind: z.literal('claims'),
    title: z.string().min(1),
    claims: z.array(z.string()).min(1),
    yLabel: z.string().optional(),
  })
  .strict();

/** A figure of one array output of an analysis (e.g. a spectrum), with its null control. */
const SeriesFigure = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    kind: z.literal('series'),
    title: z.string().min(1),
    analysis: AnalysisRef.omit({ index: true }),
    xLabel: z.string(),
    yLabel: z.string(),
    logY: z.boolean().optional(),
    /** x of the first element: 0 (default) for an index, 1 for a series n = 1..N */
    xStart: z.number().int().optional(),
  })
  .strict();

export const Figure = z.discriminatedUnion('kind', [ClaimsFigure, SeriesFigure]);

export const PaperSpec = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string().min(1),
    /** the source text under ../shared/papers/ */
    file: z.string().min(1),
    summary: z.string().min(1),
    /** how tolerances were set, written before any value was regenerated */
    toleranceRule: z.string().min(1),
    interpretations: z.array(Interpretation),
    claims: z.array(Claim).min(1),
    figures: z.array(Figure).default([]),
  })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Map<string, number>();
    p.claims.forEach((c, i) => {
      if (seen.has(c.id)) {
        ctx.addIssue({ code: 'custom', path: ['claims', i, 'id'], message: `duplicate claim id "${c.id}" (also claims[${seen.get(c.id)}])` });
      } else seen.set(c.id, i);
    });
    p.figures.forEach((f, i) => {
      if (f.kind !== 'claims') return;
      f.claims.forEach((id, j) => {
        if (!seen.has(id)) ctx.addIssue({ code: 'custom', path: ['figures', i, 'claims', j], message: `unknown claim id "${id}"` });
      });
    });
  });

export type PaperSpec = z.infer<typeof PaperSpec>;
export type PaperSpecInput = z.input<typeof PaperSpec>;
export type Claim = z.infer<typeof Claim>;
export type ClaimTest = z.infer<typeof ClaimTest>;
export type AnalysisRef = z.infer<typeof AnalysisRef>;
export type Figure = z.infer<typeof Figure>;

/** Identity helper that gives spec files type checking and editor completion. */
export function definePaper(spec: PaperSpecInput): PaperSpecInput {
  return spec;
}
