/**
 * npm run reproduce -- [--paper ID]... [--profile ci|laptop|paper] [--corpus brown|PATH] [--out DIR] [--ep auto|cpu|webgpu|cuda] [--model NAME=PATH]...
 * npm run check -- --profile ci      (regenerate and compare with artifacts/<profile>/claims.lock.json)
 * npm run lock -- --profile ci       (regenerate, write the reports and the lock)
 */
import { parseArgs } from 'node:util';
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { profileByName } from './src/pipeline/profiles.js';
import { explainRun, regenerate } from './src/pipeline/run.js';
import { explanationTable, textTable, timingTable } from './src/pipeline/stage-tables.js';
import { makeLock, compareWithLock, type Lock } from './src/pipeline/drift.js';
import { writeReports } from './src/report/index.js';
import { UserError } from './src/core/errors.js';
import { VERDICTS, type PaperResult } from './src/claims/types.js';
import { writeJsonAtomic } from './src/core/files.js';
import { parseEpRequest } from './src/runtime/execution-providers.js';
import { parseModelImports } from './src/zoo/imports.js';

const ROOT = dirname(fileURLToPath(import.meta.url));

const USAGE = `usage: npm run reproduce -- [options]
  --paper ID        a paper id or unique prefix (repeatable; default: all papers)
  --profile NAME    ci | laptop | paper (default: laptop)
  --corpus SOURCE   brown (default, the embedded Brown Corpus) or a path to a plain-text file or an
                    enwik8-style XML dump
  --out DIR         output folder (default: artifacts/<profile>)
  --papers DIR      folder of paper specs (default: papers/)
  --ep NAME         execution provider of the model stages: auto (default: CUDA where its
                    libraries are installed, else WebGPU where a GPU adapter answers, else the
                    CPU), cpu, webgpu or cuda
  --model NAME=PATH use your own checkpoint as one of the models (repeatable): NAME is random-init,
                    ct-init, ct-sft or v1; PATH an .onnx file with the weights as initializers or a
                    .safetensors state_dict, with the parameter names of Paper 56 section 1.2 and the
                    shapes of the profile's model (the paper profile for the papers' 10.2M GPT)
  --dry-run         list the stages a run would compute and why (which input changed), with the
                    time each took on its last run; computes nothing
  --stages          print the stage graph: each stage, its inputs, and whether it is cached or
                    will run and why (npm run stages)
  --check           regenerate and compare with the committed lock; exit 1 on drift, write nothing
  --write-lock      also write <out>/claims.lock.json (all papers, default corpus only)
  --lock FILE       the lock to compare with (default: artifacts/<profile>/claims.lock.json)
  --help            this text`;

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        paper: { type: 'string', multiple: true, default: [] },
        profile: { type: 'string', default: 'laptop' },
        corpus: { type: 'string', default: 'brown' },
        out: { type: 'string' },
        papers: { type: 'string' },
        ep: { type: 'string', default: 'auto' },
        model: { type: 'string', multiple: true, default: [] },
        check: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        stages: { type: 'boolean', default: false },
        'write-lock': { type: 'boolean', default: false },
        lock: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (e) {
    throw new UserError(`${(e as Error).message}\n${USAGE}`);
  }
}

const table = textTable;

function verdictTable(results: PaperResult[]): string {
  const header = ['paper', 'claims', ...VERDICTS];
  const rows = results.map((p) => [p.id, String(p.claims.length), ...VERDICTS.map((v) => String(p.claims.filter((c) => c.verdict === v).length))]);
  const total = ['total', String(results.reduce((s, p) => s + p.claims.length, 0)), ...VERDICTS.map((_, j) => String(rows.reduce((s, r) => s + Number(r[j + 2]), 0)))];
  return table([header, ...rows, total]);
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const profile = profileByName(args.profile);
  const ep = parseEpRequest(args.ep);
  const imported = parseModelImports(args.model);
  const outDir = args.out ?? join(ROOT, 'artifacts', profile.name);
  const lockPath = args.lock ?? join(ROOT, 'artifacts', profile.name, 'claims.lock.json');
  if (args['write-lock'] && (args.paper.length > 0 || args.corpus !== 'brown' || args.papers)) {
    throw new UserError('--write-lock: the lock covers all papers of papers/ on the default corpus; drop --paper, --papers and --corpus');
  }
  if (imported.length > 0 && (args.check || args['write-lock'])) {
    throw new UserError(`--model: the lock holds the numbers of this project's own models; drop --model, or --check and --write-lock`);
  }
  if (args.check && !existsSync(lockPath)) {
    throw new UserError(`--check: lock file ${lockPath} not found (write it with: npm run lock -- --profile ${profile.name})`);
  }

  console.error(`profile ${profile.name}: ${profile.description}`);
  const runOptions = {
    profile,
    corpus: args.corpus,
    papers: args.paper,
    papersDir: args.papers ?? join(ROOT, 'papers'),
    cacheDir: join(ROOT, '.cache'),
    ep,
    imported,
  };
  if (args['dry-run'] || args.stages) {
    const stages = await explainRun(runOptions);
    console.log(explanationTable(args.stages ? stages : stages.filter((s) => s.status === 'will run' || s.persist === 'memory')));
    return 0;
  }
  const { results, run, timings } = await regenerate(runOptions);
  console.error(`\nstage wall times:\n${timingTable(timings)}\n`);

  if (args.check) {
    let lock: Lock;
    try {
      lock = JSON.parse(readFileSync(lockPath, 'utf8')) as Lock;
    } catch (e) {
      throw new UserError(`lock file ${lockPath}: not readable JSON (${(e as Error).message})`);
    }
    if (lock.profile !== run.profile || lock.corpus !== run.corpus) {
      throw new UserError(`lock file ${lockPath} is for profile ${lock.profile} on ${lock.corpus}; this run is ${run.profile} on ${run.corpus}`);
    }
    const drifts = compareWithLock(results, lock);
    console.log(verdictTable(results));
    if (drifts.length === 0) {
      console.log(`\ncheck: all ${results.reduce((s, p) => s + p.claims.length, 0)} claims match ${lockPath}`);
      return 0;
    }
    console.log(`\ncheck: ${drifts.length} claim(s) drifted from ${lockPath}:\n`);
    console.log(table([['claim', 'from', 'to', 'tolerance', 'why'], ...drifts.map((d) => [d.claim, d.from, d.to, d.tolerance, d.why])]));
    console.log('\nIf the change is intended, regenerate the lock and artifacts with: npm run lock -- --profile ' + profile.name);
    return 1;
  }

  await writeReports(results, run, outDir);
  if (args['write-lock']) writeJsonAtomic(join(outDir, 'claims.lock.json'), makeLock(results, run));
  console.log(verdictTable(results));
  console.log(`\nreports: ${join(outDir, 'index.md')} and ${join(outDir, 'site', 'index.html')}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof UserError) {
      console.error(`error: ${e.message}`);
      process.exit(2);
    }
    console.error(e);
    process.exit(1);
  },
);
