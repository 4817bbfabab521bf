/**
 * The drift gate end to end: a lock with one tampered number makes `check` fail and name the claim.
 * (CI also runs `npm run check -- --profile ci` against the committed lock itself.)
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lock } from '../../src/pipeline/drift.js';

const ROOT = join(__dirname, '..', '..');

describe('npm run check', () => {
  it('fails on a lock whose number was tampered with', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'artifacts', 'ci', 'claims.lock.json'), 'utf8')) as Lock;
    // one paper that needs no trained model keeps the test fast; claims of other papers are not compared
    const paper = 'weight-from-pr';
    const [id, entry] = Object.entries(lock.claims).find(
      ([key, e]) => key.startsWith(`${paper}/`) && typeof e.regenerated === 'number' && e.tolerance !== null,
    )!;
    entry.regenerated = (entry.regenerated as number) + 10 * (entry.tolerance as number) + 1;
    const tampered = join(mkdtempSync(join(tmpdir(), 'lock-')), 'claims.lock.json');
    writeFileSync(tampered, JSON.stringify(lock));
    const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['reproduce.ts', '--profile', 'ci', '--paper', paper, '--check', '--lock', tampered], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 600_000,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(id);
    expect(r.stdout).toContain('moved beyond tolerance');
    expect(r.stdout).toContain('1 claim(s) drifted');
  }, 600_000);
});
