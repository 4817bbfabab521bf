/**
 * Choosing the onnxruntime execution provider (EP): `--ep auto|cpu|webgpu|cuda`.
 *
 *   auto    CUDA where its provider libraries are installed and load, else WebGPU where a GPU
 *           adapter answers, else the CPU. A software Vulkan device (Mesa's llvmpipe, also
 *           called lavapipe; SwiftShader) runs WebGPU correctly but slower than the CPU EP, so
 *           auto passes it over; `--ep webgpu` still uses it (the tests check the GPU path on it)
 *   cpu     always available
 *   webgpu  onnxruntime-node's linux-x64 binary bundles it (Dawn); it needs a GPU reachable
 *           through Vulkan (the libvulkan1 loader and the driver's ICD)
 *   cuda    needs libonnxruntime_providers_{shared,cuda}.so next to the binding; the npm package
 *           does not ship them (its install script downloads them from NuGet)
 *
 * A GPU EP is tried in a child process first: a missing driver or a broken Vulkan/CUDA install
 * can abort the process natively, and the parent must survive to print one clear error.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import nodePath from 'node:path';
import { GraphBuilder, serializeGraph } from '../model/onnx-builder.js';
import { UserError } from '../core/errors.js';

export type ExecutionProvider = 'cpu' | 'webgpu' | 'cuda';
export type EpRequest = 'auto' | ExecutionProvider;

export const EP_REQUESTS: readonly EpRequest[] = ['auto', 'cpu', 'webgpu', 'cuda'];

/** onnxruntime's names for the providers, as they appear in its logs. */
export const ORT_PROVIDER_NAMES: Record<ExecutionProvider, string> = {
  cpu: 'CPUExecutionProvider',
  webgpu: 'WebGpuExecutionProvider',
  cuda: 'CUDAExecutionProvider',
};

/**
 * Ops that one-node probes found running on the GPU under the WebGPU EP (DESIGN.md, measured on an
 * H100 with onnxruntime-node 1.30, float32). Graphs meant for the GPU should use only these;
 * anything else runs on the CPU with copies around it.
 */
export const WEBGPU_DEVICE_OPS: ReadonlySet<string> = new Set([
  'MatMul', 'Gemm', 'Einsum', 'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Sqrt', 'Exp', 'Log', 'Tanh', 'Erf',
  'Neg', 'Reciprocal', 'Max', 'Clip', 'Softmax', 'LayerNormalization', 'Gelu', 'ReduceSum',
  'ReduceMean', 'ReduceMax', 'ReduceSumSquare', 'Transpose', 'Reshape', 'Expand', 'Concat', 'Slice',
  'Unsqueeze', 'Identity', 'Gather', 'GatherElements', 'ScatterND', 'ScatterElements', 'Where',
  'Trilu', 'CumSum',
]);

export interface EpAvailability {
  ep: ExecutionProvider;
  available: boolean;
  /** why not (or, when available, what the probe saw) */
  detail: string;
  /** WebGPU found only software Vulkan devices (llvmpipe, SwiftShader): correct, but no GPU */
  software?: boolean;
}

export interface ResolvedEp {
  requested: EpRequest;
  ep: ExecutionProvider;
  /** WebGPU on a software Vulkan device (only when asked for by name): timings say nothing of a GPU */
  software?: boolean;
  /** one line for reports, e.g. "webgpu (auto: CUDA unavailable: ...)" */
  reason: string;
}

/** Parse the value of an `--ep` option. */
export function parseEpRequest(value: string, option = '--ep'): EpRequest {
  const request = value.trim().toLowerCase();
  if ((EP_REQUESTS as readonly string[]).includes(request)) return request as EpRequest;
  throw new UserError(`${option}: unknown execution provider '${value}' (expected one of ${EP_REQUESTS.join(', ')})`);
}

export type EpProbe = (ep: ExecutionProvider) => Promise<EpAvailability>;

/**
 * Pick the EP for a request. A requested EP that is unavailable is a UserError naming the option
 * and the cause; `probe` is replaceable for tests.
 */
export async function resolveExecutionProvider(
  requested: EpRequest,
  options: { probe?: EpProbe; option?: string } = {},
): Promise<ResolvedEp> {
  const probe = options.probe ?? probeExecutionProvider;
  const option = options.option ?? '--ep';
  if (requested !== 'auto') {
    const availability = await probe(requested);
    if (!availability.available) {
      throw new UserError(`${option} ${requested}: the ${requested} execution provider is not available here: ${availability.detail}`);
    }
    if (availability.software === true) return { requested, ep: requested, software: true, reason: `${requested} (${availability.detail})` };
    return { requested, ep: requested, reason: requested };
  }
  const skipped: string[] = [];
  for (const ep of ['cuda', 'webgpu'] as const) {
    const availability = await probe(ep);
    if (availability.available && availability.software !== true) {
      return { requested, ep, reason: `${ep} (auto${skipped.length > 0 ? `; ${skipped.join('; ')}` : ''})` };
    }
    skipped.push(`${ep} ${availability.available ? 'passed over' : 'unavailable'}: ${availability.detail}`);
  }
  return { requested, ep: 'cpu', reason: `cpu (auto; ${skipped.join('; ')})` };
}

const probeCache = new Map<ExecutionProvider, Promise<EpAvailability>>();

/** Whether an EP can create a session and run a MatMul on its device; cached per process. */
export function probeExecutionProvider(ep: ExecutionProvider): Promise<EpAvailability> {
  let cached = probeCache.get(ep);
  if (cached === undefined) {
    cached = probeUncached(ep);
    probeCache.set(ep, cached);
  }
  return cached;
}

async function probeUncached(ep: ExecutionProvider): Promise<EpAvailability> {
  if (ep === 'cpu') return { ep, available: true, detail: 'always available' };
  if (ep === 'cuda') {
    const missing = ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'].filter(
      (lib) => !fs.existsSync(nodePath.join(ortBinaryDir(), lib)),
    );
    if (missing.length > 0) {
      return {
        ep,
        available: false,
        detail:
          `${missing.join(' and ')} not found in ${ortBinaryDir()} (onnxruntime-node's npm package does ` +
          `not ship the CUDA provider; its install script downloads it from NuGet)`,
      };
    }
  }
  // VK_LOADER_DEBUG makes the Vulkan loader list the devices it found (Dawn does not say which it chose)
  const result = await runOrtChild(ep, probeModelBytes(), PROBE_TIMEOUT_MS, ep === 'webgpu' ? { env: { VK_LOADER_DEBUG: 'info' } } : {});
  if (!result.ok) return { ep, available: false, detail: result.error };
  // The session may quietly fall back to the CPU; the verbose log says where the MatMul ran.
  const placement = parsePlacement(result.log);
  const onCpuOnly = placement.length > 0 && placement.every((p) => p.provider === ORT_PROVIDER_NAMES.cpu);
  if (onCpuOnly) {
    return { ep, available: false, detail: `the session ran, but onnxruntime placed the probe MatMul on the CPU` };
  }
  const placed = placement.length > 0 ? `MatMul placed on ${placement[0].provider}` : 'probe ran';
  const devices = parseVulkanDevices(result.log);
  if (devices.length > 0 && devices.every(isSoftwareVulkanDevice)) {
    return { ep, available: true, software: true, detail: `${placed}, but the only Vulkan device is ${devices.join(', ')}: software rendering on the CPU, no GPU` };
  }
  return { ep, available: true, detail: devices.length > 0 ? `${placed}; Vulkan devices: ${devices.join(', ')}` : placed };
}

/** Device names from the Vulkan loader's "linux_read_sorted_physical_devices" listing (VK_LOADER_DEBUG=info). */
export function parseVulkanDevices(log: string): string[] {
  const names = new Set<string>();
  for (const match of log.matchAll(/^INFO:\s+\[\d+\] (.+?)\s*$/gm)) names.add(match[1]);
  return [...names];
}

function isSoftwareVulkanDevice(name: string): boolean {
  return /llvmpipe|lavapipe|swiftshader/i.test(name);
}

const PROBE_TIMEOUT_MS = 90_000; // Dawn's or CUDA's first initialization can take a while

/** (2, 2) @ (2, 2): small enough to pass in an environment variable. */
function probeModelBytes(): Uint8Array {
  const g = new GraphBuilder('ep_probe');
  g.input('a', 'float32', [2, 2]);
  g.input('b', 'float32', [2, 2]);
  g.op('MatMul', ['a', 'b'], {}, { output: 'c' });
  g.output('c', 'float32', [2, 2]);
  return serializeGraph(g, { parametersAs: 'inputs', opset: 18 });
}

export function ortBinaryDir(): string {
  const require = createRequire(import.meta.url);
  const ortMain = require.resolve('onnxruntime-node'); // .../onnxruntime-node/dist/index.js
  return nodePath.join(nodePath.dirname(ortMain), '..', 'bin', 'napi-v6', process.platform, process.arch);
}

export interface NodePlacement {
  /** onnxruntime's provider name, e.g. 'WebGpuExecutionProvider' */
  provider: string;
  count: number;
  /** 'OpType (node name)' of each node, when onnxruntime lists them (mixed placements only) */
  nodes: string[];
}

/**
 * Read onnxruntime's verbose "placed on [...]" lines: either "All nodes placed on [X]. Number of
 * nodes: N", or, when nodes are split, one " Node(s) placed on [X]. Number of nodes: N" line per
 * provider followed by one "  OpType (name)" line per node.
 */
export function parsePlacement(log: string): NodePlacement[] {
  const placements: NodePlacement[] = [];
  let current: NodePlacement | null = null;
  for (const line of log.split('\n')) {
    const marker = line.indexOf('VerifyEachNodeIsAssignedToAnEp]');
    if (marker < 0) continue;
    const message = line.slice(marker + 'VerifyEachNodeIsAssignedToAnEp]'.length);
    const header = /placed on \[(\w+)\]\. Number of nodes: (\d+)/.exec(message);
    if (header) {
      current = { provider: header[1], count: Number(header[2]), nodes: [] };
      placements.push(current);
    } else if (current !== null && /^\s{2,}\S+ \(.*\)\s*$/.test(message)) {
      current.nodes.push(message.trim());
    }
  }
  return placements;
}

export interface ChildRunResult {
  ok: boolean;
  /** the error, when not ok: onnxruntime's message, a signal, or a timeout */
  error: string;
  /** stdout and stderr together: onnxruntime's verbose log */
  log: string;
}

/**
 * Create a session for `model` on `ep` in a child node process with verbose logging and, with
 * `runProbe` (the default), run the probe MatMul once and check its result. The child never takes
 * the parent down: a native abort comes back as { ok: false, error: '... killed by SIGABRT' }.
 * `script` replaces the child's code (tests use it to simulate a crash).
 */
export async function runOrtChild(
  ep: ExecutionProvider,
  model: Uint8Array | { path: string },
  timeoutMs: number,
  options: { runProbe?: boolean; script?: string; env?: Record<string, string> } = {},
): Promise<ChildRunResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    PROBE_ORT_PATH: createRequire(import.meta.url).resolve('onnxruntime-node'),
    PROBE_EP: ep,
    PROBE_RUN: options.runProbe === false ? '0' : '1',
  };
  if (model instanceof Uint8Array) env.PROBE_MODEL_B64 = Buffer.from(model).toString('base64');
  else env.PROBE_MODEL_PATH = model.path;

  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', options.script ?? CHILD_SCRIPT], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, error: `could not start a probe process: ${error.message}`, log });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const verdict = /^PROBE_RESULT (.*)$/m.exec(log);
      if (verdict !== null) {
        const parsed = JSON.parse(verdict[1]) as { ok: boolean; error?: string };
        resolve({ ok: parsed.ok, error: parsed.ok ? '' : explainFailure(parsed.error ?? 'unknown error', log), log });
      } else if (signal !== null) {
        const why = signal === 'SIGKILL' ? `no answer within ${timeoutMs / 1000} s` : `the process was killed by ${signal}`;
        resolve({ ok: false, error: explainFailure(`onnxruntime crashed or hung (${why})`, log), log });
      } else {
        resolve({ ok: false, error: explainFailure(`the probe process exited with code ${code}`, log), log });
      }
    });
  });
}

/** Add what the log says about the usual causes (no Vulkan loader, no adapter, no CUDA). */
function explainFailure(error: string, log: string): string {
  const hints: string[] = [];
  const vulkan = /Couldn't load Vulkan: ([^\n]*)/.exec(log);
  if (vulkan) hints.push(`Vulkan: ${vulkan[1].trim()} (install the libvulkan1 package and the GPU driver)`);
  const lastLine = error.split('\n').filter((l) => l.trim() !== '').pop() ?? error;
  // onnxruntime prefixes messages with a source location; keep the part after it
  const message = lastLine.replace(/^\/onnxruntime_src\/\S+ [^\n]*? was false\. /, '').trim();
  return [message, ...hints].join('; ');
}

/**
 * The child: plain CommonJS, so that it needs no TypeScript loader. It prints one line
 * "PROBE_RESULT {json}" on stdout; onnxruntime's own log goes to stdout and stderr around it.
 */
const CHILD_SCRIPT = `
const ort = require(process.env.PROBE_ORT_PATH);
const fs = require('node:fs');
const report = (result) => { process.stdout.write('\\nPROBE_RESULT ' + JSON.stringify(result) + '\\n'); };
(async () => {
  try {
    const model = process.env.PROBE_MODEL_PATH
      ? fs.readFileSync(process.env.PROBE_MODEL_PATH)
      : Buffer.from(process.env.PROBE_MODEL_B64, 'base64');
    const session = await ort.InferenceSession.create(model, {
      executionProviders: [process.env.PROBE_EP],
      logSeverityLevel: 0,
      logVerbosityLevel: 0,
    });
    if (process.env.PROBE_RUN === '1') {
      const x = new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4]), [2, 2]);
      const out = await session.run({ a: x, b: x });
      const c = Array.from(out.c.data);
      const expected = [7, 10, 15, 22];
      if (c.some((v, i) => Math.abs(v - expected[i]) > 1e-4)) {
        report({ ok: false, error: 'wrong result from the probe MatMul: ' + JSON.stringify(c) });
        return;
      }
    }
    report({ ok: true });
  } catch (error) {
    report({ ok: false, error: String(error && error.message ? error.message : error) });
  }
})();
`;
