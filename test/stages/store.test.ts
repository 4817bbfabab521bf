/** The stage store: values round-trip exactly, and a damaged entry is reported, removed and recomputed. */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { StageRunner, StageStore, call, defineStage } from '../../src/stages/index.js';

/** The module of the test stages (any file: their code does not change here). */
const MODULE = new URL('../../src/stages/hash.ts', import.meta.url).href;

const tempStore = (log: string[] = []) => new StageStore(mkdtempSync(join(tmpdir(), 'store-')), (line) => log.push(line));
const value = () => ({ m: { rows: 1, cols: 3, data: new Float64Array([1, NaN, -2.5]) }, ids: new Int32Array([7, 8]), x: Infinity });

describe('stage store', () => {
  it('stores typed arrays and non-finite numbers exactly, with no temporary file left', () => {
    const store = tempStore();
    store.write('stage', 'k', value());
    const back = new StageStore(store.dir).read<ReturnType<typeof value>>('stage', 'k')!;
    expect(back.m.data).toBeInstanceOf(Float64Array);
    expect(Array.from(back.m.data)).toEqual([1, NaN, -2.5]);
    expect(Array.from(back.ids)).toEqual([7, 8]);
    expect(back.x).toBe(Infinity);
    expect(readdirSync(store.dir).some((f) => f.includes('.tmp-'))).toBe(false);
  });

  const damages: [string, (dir: string) => void][] = [
    ['a flipped byte in a .bin file', (dir) => {
      const bin = join(dir, 'stage-k.0.bin');
      const bytes = readFileSync(bin);
      bytes[3] ^= 0xff;
      writeFileSync(bin, bytes);
    }],
    ['a truncated manifest', (dir) => truncateSync(join(dir, 'stage-k.json'), 40)],
    ['an edited value', (dir) => writeFileSync(join(dir, 'stage-k.json'), readFileSync(join(dir, 'stage-k.json'), 'utf8').replace('Infinity', '-Infinity'))],
    ['a manifest without header (written by an older version)', (dir) => writeFileSync(join(dir, 'stage-k.json'), '{"x": 1}')],
  ];
  for (const [what, damage] of damages) {
    it(`reports ${what} in one line naming the file, and removes the entry`, () => {
      const log: string[] = [];
      const store = tempStore(log);
      store.write('stage', 'k', value());
      damage(store.dir);
      expect(store.read('stage', 'k')).toBeUndefined();
      expect(log).toHaveLength(1);
      expect(log[0]).toContain(join(store.dir, 'stage-k.json'));
      expect(log[0]).toMatch(/corrupt .*removed, computing it again/);
      expect(readdirSync(store.dir).filter((f) => f.startsWith('stage-k'))).toEqual([]);
    });
  }

  it('a run that meets a damaged entry computes the stage again and stores it anew', async () => {
    const log: string[] = [];
    const store = tempStore(log);
    let runs = 0;
    const stage = defineStage({
      name: 'store-test-square',
      module: MODULE,
      params: z.object({ x: z.number() }).strict(),
      inputs: () => ({}),
      persist: 'disk',
      run: async ({ x }) => {
        runs++;
        return { square: new Float64Array([x * x]) };
      },
    });
    const c = call(stage, { x: 3 });
    await new StageRunner(store, () => () => undefined).value(c);
    const key = new StageRunner(store, () => () => undefined).key(c);
    truncateSync(join(store.dir, `store-test-square-${key}.0.bin`), 3);
    const again = await new StageRunner(store, () => () => undefined).value(c);
    expect(Array.from(again.square)).toEqual([9]);
    expect(runs).toBe(2);
    expect(log).toHaveLength(1);
    const third = await new StageRunner(store, () => () => undefined).value(c);
    expect(Array.from(third.square)).toEqual([9]);
    expect(runs).toBe(2); // the recomputed entry is good
  });

  it('a failed stage leaves no entry behind', async () => {
    const store = tempStore();
    const failing = defineStage({
      name: 'store-test-failing',
      module: MODULE,
      params: z.object({}).strict(),
      inputs: () => ({}),
      persist: 'disk',
      run: async () => {
        throw new Error('boom');
      },
    });
    await expect(new StageRunner(store, () => () => undefined).value(call(failing, {}))).rejects.toThrow('boom');
    expect(readdirSync(store.dir).filter((f) => f.startsWith('store-test-failing'))).toEqual([]);
  });
});
