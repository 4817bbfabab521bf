/**
 * Keys of the stage graph: each changes exactly when something the stage reads changes (its params,
 * an input's key, the source it imports, the bytes of a file it reads), and `explain` says which.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, writeFileSync, appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { z } from 'zod';
import { StageRunner, StageStore, call, defineStage, forgetSourceHashes, groupTotals, importedSpecifiers, sourceHash } from '../../src/stages/index.js';
import { corpusStage } from '../../src/corpus/stage.js';
import { createContext } from '../../src/pipeline/context.js';
import { analysisProfile, analysisStage } from '../../src/pipeline/analysis-stages.js';
import { PROFILES } from '../../src/pipeline/profiles.js';
import { ANALYSES } from '../../src/analyses/catalog.js';
import type { Profile } from '../../src/core/profile.js';

const quiet = () => () => undefined;
const runnerIn = (dir: string) => new StageRunner(new StageStore(dir, () => undefined), quiet);
const dirs: string[] = [];
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
/** A module for the test stages (this file's own string literals look like imports). */
const STAGE_MODULE = join(mkdtempSync(join(tmpdir(), 'graph-module-')), 'stages.ts');
writeFileSync(STAGE_MODULE, 'export {};\n');

afterEach(() => {
  forgetSourceHashes();
});

describe('source hashes follow imports', () => {
  it('reads value imports, re-exports, dynamic imports, requires and worker URLs, but not type imports', () => {
    const source = [
      "import { a } from './a.js';",
      "import type { B } from './b.js';",
      "export type { C } from './c.js';",
      "export * from './d.js';",
      "import {\n  type E,\n  e,\n} from './e.js';",
      "const f = await import('./f.js');",
      "require('./g.cjs');",
      "new Worker(new URL('./h.cjs', import.meta.url));",
      "// import { x } from './commented.js';",
    ].join('\n');
    expect(importedSpecifiers(source).sort()).toEqual(['./a.js', './d.js', './e.js', './f.js', './g.cjs', './h.cjs']);
  });

  it('an analysis hashes the files it imports, not its neighbours', () => {
    const files = Object.keys(sourceHash(new URL('../../src/analyses/qkv-norms.ts', import.meta.url).href).files);
    expect(files).toContain('src/analyses/qkv-norms.ts');
    expect(files).toContain('src/zoo/attention.ts');
    expect(files).toContain('src/linalg/worker.ts'); // through the worker pool's bootstrap script
    expect(files).not.toContain('src/analyses/k2-spectrum.ts');
    expect(files).not.toContain('src/pipeline/run.ts');
  });
});

describe('stage keys', () => {
  it('change with params, with an input, and with the code of the stage or of what it imports', () => {
    const dir = temp('graph-code-');
    writeFileSync(join(dir, 'helper.ts'), 'export const helper = 1;\n');
    writeFileSync(join(dir, 'upstream.ts'), "import { helper } from './helper.js';\nexport const up = helper;\n");
    writeFileSync(join(dir, 'downstream.ts'), 'export const down = 2;\n');
    const upstream = defineStage({ name: 'graph-test-up', module: join(dir, 'upstream.ts'), params: z.object({ n: z.number() }).strict(), inputs: () => ({}), persist: 'memory', run: async ({ n }) => n });
    const downstream = defineStage({
      name: 'graph-test-down',
      module: join(dir, 'downstream.ts'),
      params: z.object({ n: z.number(), m: z.number() }).strict(),
      inputs: (p) => ({ up: call(upstream, { n: p.n }) }),
      persist: 'disk',
      run: async (p, inputs) => (await inputs.up()) + p.m,
    });
    const keys = () => {
      const r = runnerIn(temp('graph-store-'));
      return { up: r.key(call(upstream, { n: 1 })), down: r.key(call(downstream, { n: 1, m: 1 })), other: r.key(call(downstream, { n: 1, m: 2 })), moved: r.key(call(downstream, { n: 2, m: 1 })) };
    };
    const before = keys();
    expect(before.other).not.toBe(before.down); // a param
    expect(before.moved).not.toBe(before.down); // an input's param, through the input's key
    appendFileSync(join(dir, 'downstream.ts'), '// edited\n');
    forgetSourceHashes();
    const afterDownstreamEdit = keys();
    expect(afterDownstreamEdit.up).toBe(before.up); // only the edited stage ...
    expect(afterDownstreamEdit.down).not.toBe(before.down);
    appendFileSync(join(dir, 'helper.ts'), 'export const unused = 3;\n');
    forgetSourceHashes();
    const afterHelperEdit = keys();
    expect(afterHelperEdit.up).not.toBe(afterDownstreamEdit.up); // ... and a file the upstream imports
    expect(afterHelperEdit.down).not.toBe(afterDownstreamEdit.down); // reaches what reads it
  });

  it('explain says which input changed, and what a later run will load', async () => {
    const dir = temp('graph-explain-');
    const leaf = defineStage({ name: 'graph-test-leaf', module: STAGE_MODULE, params: z.object({ n: z.number() }).strict(), inputs: () => ({}), persist: 'disk', run: async ({ n }) => n });
    const top = defineStage({
      name: 'graph-test-top',
      module: STAGE_MODULE,
      params: z.object({ n: z.number() }).strict(),
      inputs: (p) => ({ leaf: call(leaf, p) }),
      persist: 'disk',
      run: async (_p, inputs) => (await inputs.leaf()) * 10,
    });
    expect(runnerIn(dir).explain([call(top, { n: 1 })]).map((e) => [e.label, e.status, e.why])).toEqual([
      ['graph-test-leaf', 'will run', 'never run'],
      ['graph-test-top', 'will run', 'never run'],
    ]);
    expect(await runnerIn(dir).value(call(top, { n: 1 }))).toBe(10);
    const after = runnerIn(dir).explain([call(top, { n: 1 })]);
    expect(after.map((e) => e.status)).toEqual(['cached', 'cached']);
    expect(after[1].lastSeconds).not.toBeNull();
    // the same stage instance with another leaf: the index of the last run tells why
    rmSync(join(dir, `graph-test-top-${runnerIn(dir).key(call(top, { n: 1 }))}.json`));
    expect(runnerIn(dir).explain([call(top, { n: 1 })])[1].why).toBe('its cache entry is gone');
  });

  it('rejects params that do not match the stage schema, naming the stage and field', () => {
    const s = defineStage({ name: 'graph-test-typed', module: STAGE_MODULE, params: z.object({ n: z.number() }).strict(), inputs: () => ({}), persist: 'memory', run: async () => 0 });
    expect(() => runnerIn(temp('graph-typed-')).key(call(s, { n: 'one' } as never))).toThrow(/stage graph-test-typed: invalid params: n:/);
  });
});

describe('the pipeline graph', () => {
  it('keys the corpus by the bytes of its file: an in-place edit changes every key downstream', () => {
    const dir = temp('graph-corpus-');
    const file = join(dir, 'corpus.txt');
    writeFileSync(file, 'the cat sat on the mat .\n'.repeat(500));
    const params = { source: file, vocabSize: 50, statTokens: 2000, validationTokens: 500 };
    const before = runnerIn(dir).key(call(corpusStage, params));
    writeFileSync(file, 'the dog sat on the log .\n'.repeat(500)); // same path, same size
    const after = runnerIn(dir).key(call(corpusStage, params));
    expect(after).not.toBe(before);
  });

  const keysOf = async (profile: Profile) => {
    const ctx = createContext(profile, 'brown', runnerIn(temp('graph-profile-')));
    const analysis = async (name: string) => {
      const def = ANALYSES.get(name)!;
      return ctx.runner.key(call(await analysisStage(def, ctx), { analysis: name, params: {}, profile: analysisProfile(def, profile) }));
    };
    const zooCalls = ctx.zoo().calls();
    return {
      data: ctx.dataCalls.map((c) => ctx.runner.key(c)),
      models: zooCalls.map((c) => ctx.runner.key(c)),
      randomInit: ctx.runner.key(zooCalls[0]),
      corpusOnlyAnalysis: await analysis('k2-spectrum'),
      modelAnalysis: await analysis('qkv-norms'),
    };
  };

  it('a change of training settings recomputes the trained models and the analyses that read them, not the corpus stages or analyses', async () => {
    const ci = PROFILES.ci;
    const before = await keysOf(ci);
    const after = await keysOf({ ...ci, training: { ...ci.training, sftSteps: ci.training.sftSteps + 1 } });
    expect(after.data).toEqual(before.data); // corpus, statistics, embeddings
    expect(after.randomInit).toBe(before.randomInit); // an untrained model reads no training setting
    expect(after.models.filter((k, i) => k !== before.models[i]).length).toBeGreaterThan(0);
    expect(after.modelAnalysis).not.toBe(before.modelAnalysis);
    expect(after.corpusOnlyAnalysis).toBe(before.corpusOnlyAnalysis);
  });

  it('a change of the embedding width recomputes the embeddings and everything after them', async () => {
    const ci = PROFILES.ci;
    const before = await keysOf(ci);
    const after = await keysOf({ ...ci, dModel: 32, model: { ...ci.model, nHeads: 4 } });
    expect(after.data[0]).toBe(before.data[0]); // the corpus
    expect(after.data[1]).toBe(before.data[1]); // the statistics
    expect(after.data[2]).not.toBe(before.data[2]); // the embeddings
    expect(after.corpusOnlyAnalysis).not.toBe(before.corpusOnlyAnalysis);
  });
});

describe('stage timings', () => {
  it("carry each stage's group, and groupTotals sums a group apart from the rest", async () => {
    const slow = defineStage({
      name: 'timing-test-train', module: STAGE_MODULE, params: z.object({}), inputs: () => ({}),
      persist: 'memory', group: 'training', run: async () => 1,
    });
    const fast = defineStage({
      name: 'timing-test-probe', module: STAGE_MODULE, params: z.object({}), inputs: () => ({ model: call(slow, {}) }),
      persist: 'memory', run: async (_p, inputs) => (await inputs.model()) + 1,
    });
    const runner = runnerIn(temp('timings-'));
    expect(await runner.value(call(fast, {}))).toBe(2);
    const timings = runner.stageTimings();
    expect(timings.map((t) => [t.label, t.group])).toEqual([['timing-test-train', 'training'], ['timing-test-probe', undefined]]);
    const totals = groupTotals([{ seconds: 3, group: 'training' }, { seconds: 1 }, { seconds: 2, group: 'training' }]);
    expect(totals).toEqual([['training', 5], ['the rest', 1]]);
    expect(groupTotals([{ seconds: 1 }])).toEqual([]);
  });
});

describe('stage values in memory', () => {
  it('a disk stage value is shared while something holds it, and read back from the store once collected', async () => {
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    let runs = 0;
    const big = defineStage({
      name: 'memory-test-big', module: STAGE_MODULE, params: z.object({}), inputs: () => ({}),
      persist: 'disk', run: async () => ({ runs: ++runs, data: new Float64Array(1 << 16).fill(1) }),
    });
    const runner = runnerIn(temp('weak-'));
    const firstRuns = await (async () => {
      const first = await runner.value(call(big, {}));
      expect(await runner.value(call(big, {}))).toBe(first); // held here: the same object
      return first.runs;
    })();
    expect(runner.stageTimings().map((t) => t.how)).toEqual(['ran']);
    // drop it, let the run's microtasks settle, collect: the runner must not have kept it alive
    await new Promise((r) => setTimeout(r, 0));
    collect();
    const again = await runner.value(call(big, {}));
    expect(again).not.toBe(undefined);
    expect(runs).toBe(1); // not computed again...
    expect(again.runs).toBe(firstRuns);
    expect(runner.stageTimings().map((t) => t.how)).toEqual(['ran', 'loaded']); // ...but loaded from the store
  });
});
