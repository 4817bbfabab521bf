/**
 * Benchmarks: `npm run bench` prints a table, `npm run bench -- --json` one JSON object per line.
 * `npm run bench -- svd` (or `--only train,forward`) runs only the modules named;
 * `--shape ci,paper` limits the model benches to those shapes; `--ep auto|cpu|webgpu|cuda` picks
 * their execution provider (default auto); `--compare` also times a reference beside ours where
 * one is installed (svd: numpy's LAPACK, with "ratio" = ours / numpy; svd-topk: scipy's svds).
 * To add a benchmark, write a module that exports
 * `run(opts): Promise<BenchLine[]>` and list it in MODULES.
 */
import { type EpRequest, type ResolvedEp, parseEpRequest } from '../src/runtime/execution-providers.js';
import { UserError } from '../src/core/errors.js';

export interface BenchLine {
  bench: string;
  shape: string;
  /** median wall time of the measured runs */
  ms: number;
  [extra: string]: string | number;
}

export interface BenchOptions {
  /** repetitions for the timed runs (each module picks a default per case when absent) */
  runs?: number;
  /** called for every result as soon as it exists, so that long benches show progress */
  report(line: BenchLine): void;
  /** execution provider of the model benches (default 'auto') */
  ep?: EpRequest;
  /** model shapes to run ('ci', 'laptop', 'paper'; default all) */
  shapes?: string[];
  /** `--compare`: also time a reference implementation where one is installed (svd: numpy; svd-topk: scipy) */
  compare?: boolean;
}

export interface BenchModule {
  run(opts: BenchOptions): Promise<BenchLine[]>;
}

const MODULES: Record<string, () => Promise<BenchModule>> = {
  svd: () => import('./svd.js'),
  'svd-topk': () => import('./svd-topk.js'),
  matmul: () => import('./matmul.js'),
  train: () => import('./train.js'),
  forward: () => import('./forward.js'),
  placement: () => import('./placement.js'),
  repeat: () => import('./repeat.js'),
};

/**
 * What a plain `npm run bench` runs. placement and repeat are checks of a GPU EP rather than
 * speeds; the GPU machine's one command names them:
 *   npm run bench -- --json --only placement,repeat,train,forward --ep webgpu
 */
const DEFAULT_MODULES = ['svd', 'matmul', 'train', 'forward'];

/**
 * What a model bench line adds about its device: a software Vulkan device runs WebGPU on the CPU,
 * and its lines must not be read as GPU numbers.
 */
export function deviceFields(resolved: ResolvedEp): Record<string, string> {
  return resolved.software === true ? { device: 'software Vulkan (no GPU)' } : {};
}

/** Median of the timings of `runs` calls after one warm-up call. */
export function medianMs(runs: number, body: () => void): number {
  body();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    body();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** medianMs for an asynchronous body (onnxruntime sessions). */
export async function medianMsAsync(runs: number, body: () => Promise<void>): Promise<number> {
  await body();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await body();
    times.push(performance.now() - start);
  }
  return median(times);
}

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `--name value` and `--name=value` alike; the list of values after `--name` (comma-separated). */
function optionValue(args: string[], name: string): string | undefined {
  const index = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (index < 0) return undefined;
  const arg = args[index];
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[index + 1];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const compare = args.includes('--compare');
  const runsArg = optionValue(args, 'runs');
  const valued = ['--runs', '--only', '--shape', '--ep'];
  const names = [
    ...args.filter((a, i) => !a.startsWith('--') && !valued.includes(args[i - 1])),
    ...(optionValue(args, 'only')?.split(',') ?? []),
  ];
  const shapes = optionValue(args, 'shape')?.split(',');
  const epArg = optionValue(args, 'ep');
  const ep = epArg === undefined ? undefined : parseEpRequest(epArg);
  const unknown = names.filter((n) => !(n in MODULES));
  if (unknown.length > 0) {
    console.error(`unknown bench ${unknown.join(', ')}; known: ${Object.keys(MODULES).join(', ')}`);
    process.exit(2);
  }
  const selected = names.length > 0 ? names : DEFAULT_MODULES;
  const lines: BenchLine[] = [];
  const report = (line: BenchLine): void => {
    lines.push(line);
    if (json) console.log(JSON.stringify(line));
    else console.error(`  ${line.bench} ${line.shape}: ${line.ms.toFixed(1)} ms`);
  };
  for (const name of selected) {
    const module = await MODULES[name]();
    await module.run({ report, runs: runsArg ? Number(runsArg) : undefined, ep, shapes, compare });
  }
  if (!json) printTable(lines);
}

function printTable(lines: BenchLine[]): void {
  const extraKeys = [...new Set(lines.flatMap((l) => Object.keys(l)))].filter((k) => !['bench', 'shape', 'ms'].includes(k));
  const header = ['bench', 'shape', 'ms', ...extraKeys];
  const rows = lines.map((l) => header.map((k) => (k === 'ms' ? l.ms.toFixed(1) : String(l[k] ?? ''))));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(format(r));
}

// Run only when executed directly (bench modules import medianMs from here).
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  main().catch((error) => {
    if (error instanceof UserError) {
      console.error(`error: ${error.message}`);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  });
}
