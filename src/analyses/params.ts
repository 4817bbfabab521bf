/**
 * The params of an analysis, as a zod schema. Each analysis declares a strict object of the params
 * a spec may pass it, so a misspelled key, a choice that is not offered or a number out of range
 * fails when the spec loads (claims/load.ts), with the spec, the claim and the param named, instead
 * of in the middle of a run. The same schema parses the params again when the analysis runs, so
 * its `run` gets typed values with the defaults filled in and never checks a param by hand.
 *
 * Parsing only checks and fills in defaults; the spec keeps its params as written, and the
 * pipeline keys an invocation's cache by those (src/pipeline/run.ts), so `{}` and a spelled-out
 * default are two cache entries of one computation.
 */
import { z } from 'zod';
import { UserError } from '../core/errors.js';
import type { AnalysisContext, AnalysisDef, AnalysisResult, Params, ParamsSchema, PendingResult } from './types.js';

/** An analysis as declared, before its `run` is attached: the schema's own type is kept. */
export type AnalysisDeclaration<P extends ParamsSchema = ParamsSchema> = Omit<AnalysisDef, 'run' | 'params'> & { params: P };

/** An analysis's measurement, on params already parsed by its schema. */
export type AnalysisRun<P extends ParamsSchema> = (ctx: AnalysisContext, params: z.output<P>) => Promise<AnalysisResult | PendingResult>;

/**
 * The analysis the catalog lists, from its declaration and a `run` on typed params: the listed
 * `run` takes the params as the spec wrote them and parses them with the declared schema first.
 */
export function defineAnalysis<P extends ParamsSchema>(analysis: AnalysisDeclaration<P> & { run: AnalysisRun<P> }): AnalysisDef {
  const { run, ...declaration } = analysis;
  return { ...declaration, run: async (ctx, raw) => run(ctx, parseParams(analysis, raw)) };
}

/** The params of `analysis` parsed by its schema; a UserError naming every bad param otherwise. */
export function parseParams<P extends ParamsSchema>(analysis: AnalysisDeclaration<P>, raw: Params): z.output<P> {
  const parsed = analysis.params.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new UserError(`analysis ${analysis.name}: ${describeIssues(analysis.params, raw, parsed.error).join('; ')}`);
}

/**
 * What is wrong with `raw` as params of a schema, one line a problem, each starting with
 * `params.KEY` so that the caller can put where the params came from in front. Empty when they
 * are valid.
 */
export function paramProblems(schema: ParamsSchema, raw: Params | undefined): string[] {
  const parsed = schema.safeParse(raw ?? {});
  return parsed.success ? [] : describeIssues(schema, raw ?? {}, parsed.error);
}

function describeIssues(schema: ParamsSchema, raw: Params, error: z.ZodError): string[] {
  const known = Object.keys(schema.shape);
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const takes = known.length > 0 ? `known: ${known.join(', ')}` : 'it takes no params';
      return issue.keys.map((key) => `params.${key}: unknown param (${takes})`);
    }
    // the schemas below give every check a message that reads after "must be": "one of a, b"
    if (issue.path.length === 0) return [`params must be ${issue.message}`];
    const key = issue.path.map(String).join('.');
    const value = raw[key];
    return value === undefined ? [`params.${key} is required: ${issue.message}`] : [`params.${key} must be ${issue.message}, got ${JSON.stringify(value)}`];
  });
}

// Param types with messages that say what a valid value is.

/** One of the listed strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(choices: T) {
  return z.enum(choices, { error: `one of ${choices.join(', ')}` });
}

/** An integer from `min` to `max` (no upper bound when `max` is omitted). */
export function integer(min: number, max?: number) {
  const what = max !== undefined ? `an integer from ${min} to ${max}` : min === 1 ? 'a positive integer' : `an integer >= ${min}`;
  const atLeast = z.int({ error: what }).min(min, { error: what });
  return max === undefined ? atLeast : atLeast.max(max, { error: what });
}

/** A non-empty string; `what` says what it names. */
export function text(what: string) {
  return z.string({ error: what }).min(1, { error: what });
}

/** The params of an analysis that takes none. */
export const noParams = z.strictObject({});
