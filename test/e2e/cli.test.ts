/**
 * The command line as a user meets it: bad input gets one clear message naming the file and
 * field, exit code 2, and no report folder.
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TINY_GPT } from '../../src/model/config.js';
import { initParameters } from '../../src/model/init.js';
import { saveSafetensors } from '../../src/model/weights-io.js';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

function reproduce(...args: string[]) {
  const r = spawnSync(TSX, ['reproduce.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

const scratch = () => mkdtempSync(join(tmpdir(), 'cli-'));

describe('command line: bad input', () => {
  it('an unknown option', () => {
    const r = reproduce('--profil', 'ci');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: .*--profil/);
    expect(r.stderr).toContain('usage:');
  });

  it('an unknown profile and an unknown paper', () => {
    expect(reproduce('--profile', 'huge').stderr).toMatch(/unknown profile "huge"/);
    const r = reproduce('--profile', 'ci', '--paper', 'p99');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--paper p99: no such paper/);
  });

  it('a missing, a non-file and an empty corpus leave no report behind', () => {
    const dir = scratch();
    const out = join(dir, 'out');
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    for (const [corpus, message] of [
      [join(dir, 'nope.txt'), /not found/],
      [dir, /not a regular file/],
      [empty, /empty/],
    ] as const) {
      const r = reproduce('--profile', 'ci', '--paper', 'p57b', '--corpus', corpus, '--out', out);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(corpus);
      expect(r.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('a broken spec names its file and field', () => {
    const dir = scratch();
    const papers = join(dir, 'papers');
    mkdirSync(papers);
    const spec = readFileSync(join(ROOT, 'papers', 'p57b-pr-spreading.ts'), 'utf8')
      .replaceAll("from '../src/", `from '${ROOT}/src/`)
      .replaceAll("from './", `from '${ROOT}/papers/`) // the readings and the other specs it quotes
      .replace(/toleranceRule:/, 'toleranceRul:');
    writeFileSync(join(papers, 'broken.ts'), spec);
    const r = reproduce('--profile', 'ci', '--papers', papers, '--out', join(dir, 'out'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.ts is invalid/);
    expect(r.stderr).toMatch(/toleranceRul/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('a bad --model: the form, the name, a missing file, and a checkpoint of another shape', () => {
    const dir = scratch();
    const out = join(dir, 'out');
    expect(reproduce('--model', 'v1').stderr).toMatch(/error: --model v1: expected NAME=PATH/);
    expect(reproduce('--model', `v2=${dir}/x.onnx`).stderr).toMatch(/unknown model 'v2'/);
    const missing = reproduce('--profile', 'ci', '--model', `v1=${dir}/x.onnx`, '--out', out);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/error: --model v1=.*x\.onnx: cannot read the model file/);
    // a tiny model: not the ci profile's shape
    const tiny = join(dir, 'tiny.safetensors');
    saveSafetensors(tiny, TINY_GPT, initParameters(TINY_GPT, 1));
    const wrong = reproduce('--profile', 'ci', '--paper', 'p57b', '--model', `v1=${tiny}`, '--out', out);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/error: --model v1: .*tiny\.safetensors: tensor 'tok_emb\.weight' has shape \(\d+, \d+\), the model config expects \(2000, 64\)/);
    expect(existsSync(out)).toBe(false);
    expect(reproduce('--profile', 'ci', '--check', '--model', `v1=${tiny}`).stderr).toMatch(/--model: the lock holds the numbers of this project's own models/);
  });

  it('check without a lock says how to write one', () => {
    const r = reproduce('--profile', 'ci', '--check', '--lock', join(scratch(), 'none.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/lock file .*none\.json not found.*npm run lock/);
  });
});

