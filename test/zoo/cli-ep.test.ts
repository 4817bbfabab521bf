/**
 * `--ep` on the command line: an unknown execution provider and one that this machine lacks are
 * one clear message each (exit 2), before any stage runs.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeExecutionProvider } from '../../src/runtime/execution-providers.js';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

function reproduce(...args: string[]) {
  const r = spawnSync(TSX, ['reproduce.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stderr: r.stderr };
}

describe('--ep', () => {
  it('rejects an unknown execution provider by name', () => {
    const r = reproduce('--profile', 'ci', '--ep', 'tpu', '--out', join(ROOT, '.cache', 'never-written'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--ep: unknown execution provider 'tpu' \(expected one of auto, cpu, webgpu, cuda\)/);
  });

  it('says why a requested GPU execution provider is unavailable', async () => {
    if ((await probeExecutionProvider('cuda')).available) return; // a machine with CUDA: nothing to check here
    const r = reproduce('--profile', 'ci', '--paper', 'p57b', '--ep', 'cuda', '--out', join(ROOT, '.cache', 'never-written'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--ep cuda: the cuda execution provider is not available here: .*libonnxruntime_providers/);
  });
});
