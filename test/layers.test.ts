/**
 * Imports point one way, down this list: a stage folder may import only from folders before it.
 * (src/pipeline, last, assembles the others; nothing imports from it.)
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const LAYERS = ['core', 'stages', 'linalg', 'corpus', 'embeddings', 'model', 'runtime', 'train', 'zoo', 'analyses', 'claims', 'report', 'pipeline'];
const SRC = join(__dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ts|cjs)$/.test(name) ? [path] : [];
  });
}

describe('layers', () => {
  it('every folder of src/ is a known layer', () => {
    expect(readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory()).sort()).toEqual([...LAYERS].sort());
  });

  it('no file imports from a folder above its own (type imports included)', () => {
    const violations: string[] = [];
    for (const file of files(SRC)) {
      const own = relative(SRC, file).split('/')[0];
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*['"]\.\.\/([a-z-]+)\//g)) {
        if (LAYERS.indexOf(m[1]) > LAYERS.indexOf(own)) violations.push(`${relative(SRC, file)} imports ../${m[1]}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
