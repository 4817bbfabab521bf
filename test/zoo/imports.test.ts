/**
 * `--model NAME=PATH`: a user's checkpoint in place of a zoo model, on the tiny zoo. The imported
 * weights are used as they are (and by everything built on that model), results computed from
 * them are keyed by the file, and a bad file or option is one clear error.
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initParameters } from '../../src/model/init.js';
import { saveOnnxModel, saveSafetensors } from '../../src/model/weights-io.js';
import type { ModelWeights } from '../../src/model/weights.js';
import { writeSafetensors } from '../../src/model/safetensors.js';
import { UserError } from '../../src/core/errors.js';
import { parseModelImport, parseModelImports } from '../../src/zoo/imports.js';
import type { ZooModelName } from '../../src/zoo/zoo.js';
import { TINY_SHAPE, tempDir, tinyZoo, tinyZooData } from './fixture.js';

const dir = tempDir('imports-test-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const data = tinyZooData();
const config = { vocabSize: data.vocabSize, ...TINY_SHAPE };

function zooWith(imports: string[], cacheDir = tempDir('imports-cache-')) {
  const imported = parseModelImports(imports);
  return tinyZoo(cacheDir, data, { imported }).zoo;
}

const bytes = (w: ModelWeights): Map<string, Buffer> =>
  new Map([...w].map(([n, t]) => [n, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)]));

/** Weights unlike anything the zoo makes: the init of another seed. */
const theirs = initParameters(config, 99);
const safetensorsPath = nodePath.join(dir, 'v1.safetensors');
const onnxPath = nodePath.join(dir, 'v1.onnx');
saveSafetensors(safetensorsPath, config, theirs);
saveOnnxModel(onnxPath, config, theirs);

describe('--model NAME=PATH', () => {
  it('parses NAME=PATH and rejects a bad form, an unknown name, an unreadable file and a repeated name', () => {
    const parsed = parseModelImport(`v1=${safetensorsPath}`);
    expect(parsed).toMatchObject({ name: 'v1', path: safetensorsPath });
    expect(parsed.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(() => parseModelImport('v1')).toThrow(new UserError(`--model v1: expected NAME=PATH, e.g. --model v1=checkpoints/v1.safetensors`));
    expect(() => parseModelImport(`v2=${safetensorsPath}`)).toThrow(/--model v2=.*: unknown model 'v2' \(expected one of random-init, ct-init, ct-sft, v1\)/);
    expect(() => parseModelImport(`v1=${nodePath.join(dir, 'nope.onnx')}`)).toThrow(/--model v1=.*nope\.onnx: cannot read the model file \(ENOENT/);
    expect(() => parseModelImport(`v1=${dir}`)).toThrow(/cannot read the model file \(is a directory\)/);
    expect(() => parseModelImports([`v1=${safetensorsPath}`, `v1=${onnxPath}`])).toThrow(/--model: model 'v1' is given more than once/);
  });

  it('uses the imported weights as they are, from safetensors or ONNX, without training that model', async () => {
    for (const path of [safetensorsPath, onnxPath]) {
      const zoo = zooWith([`v1=${path}`]);
      const v1 = await zoo.model('v1');
      expect(bytes(v1.weights)).toEqual(bytes(theirs));
      expect(v1).toMatchObject({ importedFrom: path, trainingLosses: [], trainedOn: null });
      await zoo.validation('v1');
      expect(zoo.stages().map((s) => s.stage)).toEqual(['validation-v1']); // no 'v1' training stage
    }
  });

  it('feeds an imported model to what is built on it, and keys results by the file', async () => {
    const cacheDir = tempDir('imports-cache-');
    const own = zooWith([], cacheDir);
    const imported = zooWith([`v1=${safetensorsPath}`], cacheDir);
    // the trained oracle starts its attention from V1: the imported one
    const oracle = await imported.initVariantInit('trained-oracle');
    const c = 'blocks.1.attn.c_attn.weight';
    expect(bytes(oracle.weights).get(c)).toEqual(bytes(theirs).get(c));
    // the same probe of V1 on the same cache: the import is not mistaken for the zoo's own V1
    const ownLoss = await own.validation('v1');
    const importedLoss = await imported.validation('v1');
    expect(importedLoss.loss).not.toBe(ownLoss.loss);
    expect(imported.stages()).toContainEqual({ stage: 'validation-v1', ep: 'cpu', cached: false });
    // an imported ct-init is where CT+SFT starts
    const ctInitPath = nodePath.join(dir, 'ct-init.safetensors');
    saveSafetensors(ctInitPath, config, theirs);
    const ctSft = await zooWith([`ct-init=${ctInitPath}`], cacheDir).model('ct-sft');
    expect(bytes(ctSft.weights).get('tok_emb.weight')).toEqual(bytes(theirs).get('tok_emb.weight')); // frozen in SFT
  });

  it('rejects a checkpoint of another shape, one missing a tensor, and a truncated file, naming the model, file and tensor', async () => {
    const wide = { ...config, dModel: 32 };
    const widePath = nodePath.join(dir, 'wide.safetensors');
    saveSafetensors(widePath, wide, initParameters(wide, 1));
    const partialPath = nodePath.join(dir, 'partial.safetensors');
    writeSafetensors(partialPath, new Map([...theirs].filter(([name]) => name !== 'ln_f.bias')));
    const truncatedPath = nodePath.join(dir, 'truncated.safetensors');
    fs.writeFileSync(truncatedPath, fs.readFileSync(safetensorsPath).subarray(0, 1000));

    const failure = async (name: ZooModelName, path: string): Promise<Error> => {
      const zoo = zooWith([`${name}=${path}`]);
      return (await zoo.loadImports().catch((e: unknown) => e)) as Error;
    };
    const shape = await failure('ct-sft', widePath);
    expect(shape).toBeInstanceOf(UserError);
    expect(shape.message).toMatch(/^--model ct-sft: .*wide\.safetensors: tensor '.*' has shape \(\d+, 32\), the model config expects \(\d+, 16\)/);
    expect((await failure('v1', partialPath)).message).toMatch(/^--model v1: .*partial\.safetensors: missing tensor 'ln_f\.bias'/);
    const truncated = await failure('v1', truncatedPath);
    expect(truncated).toBeInstanceOf(UserError);
    expect(truncated.message).toMatch(/^--model v1: .*truncated\.safetensors: /);
  });
});
