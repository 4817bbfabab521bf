import { describe, expect, it } from 'vitest';
import { TINY_GPT } from '../../src/model/config.js';
import { buildInferenceModel } from '../../src/model/gpt-graph.js';
import { initParameters } from '../../src/model/init.js';
import { UserError } from '../../src/core/errors.js';
import {
  type EpAvailability,
  type ExecutionProvider,
  parseEpRequest,
  parsePlacement,
  parseVulkanDevices,
  probeExecutionProvider,
  resolveExecutionProvider,
  runOrtChild,
} from '../../src/runtime/execution-providers.js';
import { createSession, inspectPlacement } from '../../src/runtime/session.js';

/** A probe that reports the given EPs as available. */
const fakeProbe =
  (...available: ExecutionProvider[]) =>
  async (ep: ExecutionProvider): Promise<EpAvailability> => ({
    ep,
    available: ep === 'cpu' || available.includes(ep),
    detail: available.includes(ep) ? 'fake' : `no fake ${ep}`,
  });

describe('--ep parsing and selection', () => {
  it('parses the four choices and rejects others', () => {
    expect(parseEpRequest('WebGPU')).toBe('webgpu');
    expect(parseEpRequest(' auto ')).toBe('auto');
    expect(() => parseEpRequest('tpu')).toThrow(UserError);
    expect(() => parseEpRequest('tpu')).toThrow(/--ep: unknown execution provider 'tpu' \(expected one of auto, cpu, webgpu, cuda\)/);
  });

  it('auto prefers CUDA, then WebGPU, then the CPU, and says why', async () => {
    expect((await resolveExecutionProvider('auto', { probe: fakeProbe('cuda', 'webgpu') })).ep).toBe('cuda');
    const webgpu = await resolveExecutionProvider('auto', { probe: fakeProbe('webgpu') });
    expect(webgpu).toEqual({ requested: 'auto', ep: 'webgpu', reason: 'webgpu (auto; cuda unavailable: no fake cuda)' });
    const cpu = await resolveExecutionProvider('auto', { probe: fakeProbe() });
    expect(cpu.ep).toBe('cpu');
    expect(cpu.reason).toBe('cpu (auto; cuda unavailable: no fake cuda; webgpu unavailable: no fake webgpu)');
  });

  it('auto passes over WebGPU on a software Vulkan device; --ep webgpu still takes it and says so', async () => {
    const software = async (ep: ExecutionProvider): Promise<EpAvailability> =>
      ep === 'webgpu' ? { ep, available: true, software: true, detail: 'only llvmpipe' } : { ep, available: ep === 'cpu', detail: `no ${ep}` };
    expect(await resolveExecutionProvider('auto', { probe: software })).toEqual({
      requested: 'auto',
      ep: 'cpu',
      reason: 'cpu (auto; cuda unavailable: no cuda; webgpu passed over: only llvmpipe)',
    });
    expect(await resolveExecutionProvider('webgpu', { probe: software })).toEqual({ requested: 'webgpu', ep: 'webgpu', software: true, reason: 'webgpu (only llvmpipe)' });
  });

  it('reads the Vulkan loader\'s device list', () => {
    const log = [
      'INFO:             linux_read_sorted_physical_devices:',
      'INFO:                  Original order:',
      'INFO:                        [0] NVIDIA H100 80GB HBM3',
      'INFO:                        [1] llvmpipe (LLVM 15.0.6, 256 bits)',
      'INFO:                  Sorted order:',
      'INFO:                        [0] NVIDIA H100 80GB HBM3  ',
    ].join('\n');
    expect(parseVulkanDevices(log)).toEqual(['NVIDIA H100 80GB HBM3', 'llvmpipe (LLVM 15.0.6, 256 bits)']);
    expect(parseVulkanDevices('no loader output')).toEqual([]);
  });

  it('turns an unavailable requested EP into one UserError naming the option', async () => {
    await expect(resolveExecutionProvider('webgpu', { probe: fakeProbe('cuda') })).rejects.toThrow(
      new UserError('--ep webgpu: the webgpu execution provider is not available here: no fake webgpu'),
    );
    expect((await resolveExecutionProvider('cuda', { probe: fakeProbe('cuda') })).ep).toBe('cuda');
  });

  it('probes the real GPU EPs without crashing: each is available or a clear UserError', async () => {
    const model = buildInferenceModel(TINY_GPT, initParameters(TINY_GPT, 1), { seqLen: 4 });
    for (const ep of ['cuda', 'webgpu'] as const) {
      const availability = await probeExecutionProvider(ep);
      expect(availability.detail.length).toBeGreaterThan(0);
      if (availability.available) {
        const session = await createSession(model, { ep });
        expect(session.ep).toBe(ep);
        await session.session.release();
      } else {
        await expect(createSession(model, { ep })).rejects.toThrow(UserError);
        await expect(createSession(model, { ep })).rejects.toThrow(`--ep ${ep}: the ${ep} execution provider is not available here`);
      }
    }
    const auto = await createSession(model, { ep: 'auto' });
    expect(['cpu', 'webgpu', 'cuda']).toContain(auto.ep);
    expect(auto.epReason.startsWith(auto.ep)).toBe(true);
    await auto.session.release();
  });

  it('survives a probe process that dies of a signal (as a native crash would) or hangs', async () => {
    // SIGTERM rather than abort(): the same code path, without leaving a core file behind
    const crash = await runOrtChild('webgpu', new Uint8Array(), 30_000, { script: "process.kill(process.pid, 'SIGTERM')" });
    expect(crash.ok).toBe(false);
    expect(crash.error).toMatch(/onnxruntime crashed or hung \(the process was killed by SIGTERM\)/);
    const hang = await runOrtChild('webgpu', new Uint8Array(), 500, { script: 'setInterval(() => {}, 1000)' });
    expect(hang.error).toMatch(/no answer within 0.5 s/);
  });
});

describe('node placement', () => {
  it('reads onnxruntime verbose placement lines', () => {
    const prefix = '2026-01-01 00:00:00.0 [V:onnxruntime:, session_state.cc:1380 VerifyEachNodeIsAssignedToAnEp]';
    const log = [
      `${prefix} Node placements`,
      `${prefix}  Node(s) placed on [WebGpuExecutionProvider]. Number of nodes: 2`,
      `${prefix}   MatMul (blocks.0.attn/MatMul_7)`,
      `${prefix}   Softmax (blocks.0.attn/Softmax_9)`,
      `${prefix}  Node(s) placed on [CPUExecutionProvider]. Number of nodes: 1`,
      `${prefix}   Range (Range_3)`,
      'unrelated line',
    ].join('\n');
    expect(parsePlacement(log)).toEqual([
      { provider: 'WebGpuExecutionProvider', count: 2, nodes: ['MatMul (blocks.0.attn/MatMul_7)', 'Softmax (blocks.0.attn/Softmax_9)'] },
      { provider: 'CPUExecutionProvider', count: 1, nodes: ['Range (Range_3)'] },
    ]);
  });

  it('places every node of the GPT graph on the CPU EP', async () => {
    const model = buildInferenceModel(TINY_GPT, initParameters(TINY_GPT, 1), { seqLen: 4, attentionProbs: true });
    const placement = await inspectPlacement(model, 'cpu');
    expect(placement).toHaveLength(1);
    expect(placement[0].provider).toBe('CPUExecutionProvider');
    expect(placement[0].count).toBeGreaterThan(20);
  });
});
