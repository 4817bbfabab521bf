import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replaceAtomically } from '../../src/report/atomic.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'atomic-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('replaceAtomically', () => {
  it('replaces folders and files whole, and leaves entries it does not write', async () => {
    const out = path.join(tmp, 'out');
    mkdirSync(path.join(out, 'paper'), { recursive: true });
    writeFileSync(path.join(out, 'paper', 'stale.txt'), 'old');
    writeFileSync(path.join(out, 'index.md'), 'old index');
    writeFileSync(path.join(out, 'foreign.txt'), 'not ours');
    const written = await replaceAtomically(out, new Map([['paper/report.md', 'new'], ['index.md', 'new index']]));
    expect(written).toEqual([path.join(out, 'index.md'), path.join(out, 'paper/report.md')]);
    expect(readdirSync(path.join(out, 'paper'))).toEqual(['report.md']);
    expect(readFileSync(path.join(out, 'index.md'), 'utf8')).toBe('new index');
    expect(readFileSync(path.join(out, 'foreign.txt'), 'utf8')).toBe('not ours');
    expect(readdirSync(tmp)).toEqual(['out']);
  });

  it('leaves outDir as it was when staging fails half-way', async () => {
    const out = path.join(tmp, 'out2');
    mkdirSync(path.join(out, 'paper'), { recursive: true });
    writeFileSync(path.join(out, 'paper', 'report.md'), 'old');
    // 'paper/a' is written as a file first, so the folder 'paper/a/' cannot be created after it.
    const files = new Map([['paper/a', 'x'], ['paper/a/b', 'y'], ['index.md', 'new']]);
    await expect(replaceAtomically(out, files)).rejects.toThrow();
    expect(readdirSync(out)).toEqual(['paper']);
    expect(readFileSync(path.join(out, 'paper', 'report.md'), 'utf8')).toBe('old');
    expect(existsSync(`${out}.tmp-${process.pid}`)).toBe(false);
  });
});
