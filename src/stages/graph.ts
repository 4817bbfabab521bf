/**
 * The stage graph, declared the way DVC's dvc.yaml declares stages: each stage states its name,
 * its params (a zod schema), its inputs (other stages, as calls) and how it runs. One function,
 * `StageRunner.key`, derives every cache key from
 *
 *   the stage's name + its parsed params + the keys of its inputs + the hash of the source its
 *   module imports (source.ts) + the content hash of any file it reads (contentHash),
 *
 * so nothing builds a key by hand, a stage's key changes exactly when something it reads changes,
 * and a run computes each stage at most once however many stages read it. A seed or a reading of
 * an open method is an ordinary param: two seeds are two calls of one stage.
 *
 * Inputs are handed to `run` as thunks: a stage awaits only the inputs it needs, and a stage found
 * in the store never resolves its inputs at all (their keys, which cost no computation, suffice).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../core/errors.js';
import { writeJsonAtomic } from '../core/files.js';
import { canonicalJson, hashKey } from './hash.js';
import { sourceHash } from './source.js';
import type { StageStore } from './store.js';

/** Report progress of a long loop: a label and a total; returns a tick. */
export type Progress = (label: string, total: number) => (done?: number) => void;

export interface StageEnv {
  progress: Progress;
  /** a folder for this stage instance's scratch files (training checkpoints), keyed like its entry */
  scratchDir: string;
}

/** A stage's inputs as the run sees them: each one resolved on demand. */
export type InputThunks<I> = { [K in keyof I]: () => Promise<I[K]> };

export interface StageDef<P = any, I = any, O = any> {
  name: string;
  /** import.meta.url of the module that declares the stage: its imports are its code */
  module: string;
  params: z.ZodType<P>;
  /** the stages this one reads, as calls (a function of the params: a seed picks its input's seed) */
  inputs: (params: P) => { [K in keyof I]: StageCall<I[K]> };
  /** the hash of the bytes of any file the stage reads (a corpus, a user's checkpoint) */
  contentHash?: (params: P) => string;
  /** 'disk': kept in the store across runs; 'memory': once per run (cheap, or not worth the disk) */
  persist: 'disk' | 'memory';
  /** a short label for tables and progress, e.g. "train ct-sft" */
  label?: (params: P) => string;
  /** stages whose wall times the end-of-run table also sums apart, e.g. 'training' */
  group?: string;
  run: (params: P, inputs: InputThunks<I>, env: StageEnv) => Promise<O>;
}

export interface StageCall<O = unknown> {
  def: StageDef<any, any, O>;
  params: unknown;
}

const REGISTRY = new Map<string, StageDef>();

const groupOf = (def: StageDef): { group?: string } => (def.group === undefined ? {} : { group: def.group });

/**
 * Wall seconds per declared group, then 'the rest' for stages in none; empty when no stage
 * declares a group (so that tables can say "training 1512 s, the rest 283 s").
 */
export function groupTotals(timings: { seconds: number; group?: string }[]): [string, number][] {
  const groups = [...new Set(timings.flatMap((t) => (t.group === undefined ? [] : [t.group])))];
  if (groups.length === 0) return [];
  const sum = (keep: (t: { group?: string }) => boolean) => timings.filter(keep).reduce((s, t) => s + t.seconds, 0);
  return [...groups.map((g): [string, number] => [g, sum((t) => t.group === g)]), ['the rest', sum((t) => t.group === undefined)]];
}

/** Declares a stage. Names are unique: a stage is found by name from a StageRef. */
export function defineStage<P, I, O>(def: StageDef<P, I, O>): StageDef<P, I, O> {
  const other = REGISTRY.get(def.name);
  if (other !== undefined && other.module !== def.module) throw new Error(`stage ${def.name} is declared twice (${other.module}, ${def.module})`);
  REGISTRY.set(def.name, def as StageDef);
  return def;
}

/**
 * A call as data: the stage's name and its params. A stage that reads a stage chosen at run time
 * (a model that may be trained here or imported) takes a StageRef as a param, so the choice is
 * part of its key.
 */
export const StageRef = z.object({ stage: z.string().min(1), params: z.unknown() }).strict();
export type StageRef = z.infer<typeof StageRef>;

export function refCall<O>(ref: StageRef): StageCall<O> {
  const def = REGISTRY.get(ref.stage);
  if (def === undefined) throw new Error(`no stage named ${ref.stage}`);
  return { def, params: ref.params };
}

export function refOf(c: StageCall): StageRef {
  return { stage: c.def.name, params: c.params };
}

/** A call of a stage with params (checked against its schema when the graph resolves it). */
export function call<P, O>(def: StageDef<P, any, O>, params: P): StageCall<O> {
  return { def, params };
}

/** The parts a key is made of; kept per stage instance so that a later run can say what changed. */
export interface KeyParts {
  params: string;
  inputs: Record<string, string>;
  source: Record<string, string>;
  content: string | null;
}

/** What the last run did with one stage instance (the index's entry). */
export interface LastRun {
  stage: string;
  label: string;
  key: string;
  parts: KeyParts;
  /** wall seconds of its last computation (not of a load from the store) */
  seconds: number | null;
}

export type StageStatus = 'cached' | 'will run' | 'in memory';

export interface StageExplanation {
  id: string;
  label: string;
  key: string;
  inputs: { name: string; label: string }[];
  status: StageStatus;
  /** why it will run: which part of its key changed since the last run */
  why: string;
  lastSeconds: number | null;
  persist: 'disk' | 'memory';
}

export interface StageTiming {
  label: string;
  /** ran: computed now; loaded: read from the store; memory: computed now and kept only in memory */
  how: 'ran' | 'loaded' | 'memory';
  /** wall seconds spent in this stage itself, excluding stages it waited on */
  seconds: number;
  /** the stage's declared group, if any */
  group?: string;
}

interface Resolved {
  id: string;
  def: StageDef;
  params: unknown;
  key: string;
  parts: KeyParts;
  inputs: Record<string, Resolved>;
}

const INDEX_FILE = 'stages-index.json';

export class StageRunner {
  private readonly resolved = new Map<string, Resolved>();
  /** values of memory stages, and of disk stages while they are computing */
  private readonly values = new Map<string, Promise<unknown>>();
  /**
   * Disk stages' values once computed or loaded, held weakly: whatever an analysis still uses stays
   * shared, and the rest (trained models, attention matrices) can be collected and read back from
   * the store if asked for again, so that a run's memory does not grow with every stage it has run.
   */
  private readonly settled = new Map<string, WeakRef<object>>();
  private readonly timings: StageTiming[] = [];
  private readonly lastRuns: Record<string, LastRun>;
  /** stages computing now, innermost last: a stage's own time excludes the stages it waits on */
  private readonly active: { childSeconds: number }[] = [];

  constructor(
    readonly store: StageStore,
    private readonly progress: Progress,
  ) {
    const indexPath = join(store.dir, INDEX_FILE);
    let index: Record<string, LastRun> = {};
    if (existsSync(indexPath)) {
      try {
        index = JSON.parse(readFileSync(indexPath, 'utf8')) as Record<string, LastRun>;
      } catch {
        index = {}; // the index only explains; a bad one is rebuilt as stages run
      }
    }
    this.lastRuns = index;
  }

  /** Resolves a call: parses its params, resolves its inputs' keys, derives its key. No computation. */
  private resolve(c: StageCall): Resolved {
    const parsed = c.def.params.safeParse(c.params);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ');
      throw new UserError(`stage ${c.def.name}: invalid params: ${issues}`);
    }
    const params = parsed.data;
    const id = `${c.def.name}${canonicalJson(params)}`;
    const known = this.resolved.get(id);
    if (known) return known;
    const inputs = Object.fromEntries(Object.entries(c.def.inputs(params) as Record<string, StageCall>).map(([name, input]) => [name, this.resolve(input)]));
    const parts: KeyParts = {
      params: hashKey(params),
      inputs: Object.fromEntries(Object.entries(inputs).map(([name, r]) => [name, r.key])),
      source: sourceHash(c.def.module).files,
      content: c.def.contentHash?.(params) ?? null,
    };
    const key = hashKey({ stage: c.def.name, params, inputs: parts.inputs, source: sourceHash(c.def.module).digest, content: parts.content });
    const r: Resolved = { id, def: c.def, params, key, parts, inputs };
    this.resolved.set(id, r);
    return r;
  }

  key(c: StageCall): string {
    return this.resolve(c).key;
  }

  /** Whether a disk stage's entry is in the store (a memory stage never is). */
  isStored(c: StageCall): boolean {
    const r = this.resolve(c);
    return r.def.persist === 'disk' && this.store.has(r.def.name, r.key);
  }

  label(c: StageCall): string {
    const r = this.resolve(c);
    return r.def.label?.(r.params) ?? r.def.name;
  }

  /** The stage's value: from this run's memory, the store, or computed now (inputs first, on demand). */
  value<O>(c: StageCall<O>): Promise<O> {
    const r = this.resolve(c);
    let p = this.values.get(r.key) as Promise<O> | undefined;
    if (p !== undefined) return p;
    const held = this.settled.get(r.key)?.deref() as O | undefined;
    if (held !== undefined) return Promise.resolve(held);
    p = this.compute<O>(r);
    this.values.set(r.key, p);
    p.then(
      (value) => {
        if (r.def.persist === 'disk' && typeof value === 'object' && value !== null) {
          this.settled.set(r.key, new WeakRef(value));
          this.values.delete(r.key);
        }
      },
      () => this.values.delete(r.key), // a failed stage is tried again if asked again
    );
    return p;
  }

  private async compute<O>(r: Resolved): Promise<O> {
    const label = r.def.label?.(r.params) ?? r.def.name;
    if (r.def.persist === 'disk') {
      const start = performance.now();
      const stored = this.store.read<O>(r.def.name, r.key);
      if (stored !== undefined) {
        this.timings.push({ label, how: 'loaded', seconds: (performance.now() - start) / 1000, ...groupOf(r.def) });
        return stored;
      }
    }
    const thunks = Object.fromEntries(Object.entries(r.inputs).map(([name, input]) => [name, () => this.value({ def: input.def, params: input.params })]));
    const frame = { childSeconds: 0 };
    const parent = this.active.at(-1);
    this.active.push(frame);
    const start = performance.now();
    let value: O;
    try {
      value = (await r.def.run(r.params, thunks, { progress: this.progress, scratchDir: join(this.store.dir, 'scratch', `${r.def.name}-${r.key}`) })) as O;
    } finally {
      this.active.splice(this.active.indexOf(frame), 1);
    }
    const total = (performance.now() - start) / 1000;
    if (parent) parent.childSeconds += total;
    const seconds = Math.max(0, total - frame.childSeconds);
    this.timings.push({ label, how: r.def.persist === 'disk' ? 'ran' : 'memory', seconds, ...groupOf(r.def) });
    if (r.def.persist === 'disk') this.store.write(r.def.name, r.key, value);
    this.lastRuns[r.id] = { stage: r.def.name, label, key: r.key, parts: r.parts, seconds };
    writeJsonAtomic(join(this.store.dir, INDEX_FILE), this.lastRuns);
    return value;
  }

  /** What `value` would do for this call and everything it reads, without running anything. */
  explain(calls: StageCall[]): StageExplanation[] {
    const out = new Map<string, StageExplanation>();
    const visit = (r: Resolved) => {
      if (out.has(r.id)) return;
      for (const input of Object.values(r.inputs)) visit(input);
      const last = this.lastRuns[r.id];
      const cached = r.def.persist === 'disk' && this.store.has(r.def.name, r.key);
      const status: StageStatus = r.def.persist === 'memory' ? 'in memory' : cached ? 'cached' : 'will run';
      out.set(r.id, {
        id: r.id,
        label: r.def.label?.(r.params) ?? r.def.name,
        key: r.key,
        inputs: Object.entries(r.inputs).map(([name, i]) => ({ name, label: i.def.label?.(i.params) ?? i.def.name })),
        status,
        why: status === 'will run' ? whyChanged(r, last) : '',
        lastSeconds: last?.seconds ?? null,
        persist: r.def.persist,
      });
    };
    for (const c of calls) visit(this.resolve(c));
    return [...out.values()];
  }

  /** Every stage this run loaded or computed, in order, with its own wall time. */
  stageTimings(): StageTiming[] {
    return [...this.timings];
  }
}

/** Up to `n` names, then how many more. */
const few = (names: string[], n: number): string => (names.length <= n ? names.join(', ') : `${names.slice(0, n).join(', ')} and ${names.length - n} more`);

/** Which part of a stage's key differs from its last run: the answer to "why will it run". */
function whyChanged(r: Resolved, last: LastRun | undefined): string {
  if (last === undefined) return 'never run';
  if (last.key === r.key) return 'its cache entry is gone';
  const reasons: string[] = [];
  if (last.parts.params !== r.parts.params) reasons.push('params changed');
  const inputs = Object.entries(r.parts.inputs).filter(([name, key]) => last.parts.inputs[name] !== key).map(([name]) => name);
  if (inputs.length > 0) reasons.push(`input ${few(inputs, 2)} changed`);
  const files = new Set([...Object.keys(r.parts.source), ...Object.keys(last.parts.source)]);
  const edited = [...files].filter((f) => r.parts.source[f] !== last.parts.source[f]).sort();
  if (edited.length > 0) reasons.push(`code changed: ${few(edited, 2)}`);
  if (last.parts.content !== r.parts.content) reasons.push('file content changed');
  return reasons.join('; ') || 'key changed';
}
