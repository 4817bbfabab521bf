import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TINY_GPT } from '../../src/model/config.js';
import { initParameters } from '../../src/model/init.js';
import { createRng } from '../../src/linalg/random.js';
import { decodeSafetensors, encodeSafetensors, writeSafetensors } from '../../src/model/safetensors.js';
import type { ModelWeights } from '../../src/model/weights.js';
import { loadModelWeights, saveOnnxModel, saveSafetensors } from '../../src/model/weights-io.js';
import { UserError } from '../../src/core/errors.js';
import { createSession } from '../../src/runtime/session.js';
import ort from 'onnxruntime-node';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weights-io-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = (name: string): string => path.join(dir, name);

const config = TINY_GPT;
const weights = initParameters(config, 5);

function expectSameWeights(a: ModelWeights, b: ModelWeights): void {
  expect([...a.keys()]).toEqual([...b.keys()]);
  for (const [name, tensor] of a) {
    const other = b.get(name)!;
    expect(other.shape).toEqual(tensor.shape);
    expect(Buffer.from(other.data.buffer, other.data.byteOffset, other.data.byteLength)).toEqual(
      Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength),
    );
  }
}

/** Expect a UserError whose message matches. */
function expectUserError(action: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(UserError);
  expect((caught as Error).message).toMatch(message);
}

describe('ONNX model files', () => {
  it('round-trips weights and config, and the file runs in onnxruntime as saved', async () => {
    const onnxPath = file('tiny.onnx');
    saveOnnxModel(onnxPath, config, weights, { seqLen: 4 });
    const loaded = loadModelWeights(onnxPath);
    expect(loaded.format).toBe('onnx');
    expect(loaded.config).toEqual(config);
    expectSameWeights(loaded.weights, weights);

    const { session, ep } = await createSession(onnxPath, { ep: 'cpu' });
    expect(ep).toBe('cpu');
    const ids = new ort.Tensor('int32', Int32Array.from([1, 2, 3, 4]), [1, 4]);
    const out = await session.run({ idx: ids, targets: ids });
    expect(out.logits.dims).toEqual([1, 4, config.vocabSize]);
    expect(out.loss.dims).toEqual([1, 4]);
    await session.release();
  });

  it('reports a truncated or corrupt ONNX file clearly', () => {
    const onnxPath = file('tiny.onnx');
    saveOnnxModel(onnxPath, config, weights, { seqLen: 4 });
    const bytes = fs.readFileSync(onnxPath);
    fs.writeFileSync(file('truncated.onnx'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    expectUserError(() => loadModelWeights(file('truncated.onnx')), /truncated\.onnx: not a valid ONNX model \(corrupt or truncated\?\)/);
    fs.writeFileSync(file('garbage.onnx'), Buffer.from('this is not a protobuf at all'));
    expectUserError(() => loadModelWeights(file('garbage.onnx')), /garbage\.onnx: not a valid ONNX model/);
    expectUserError(() => loadModelWeights(file('absent.onnx')), /absent\.onnx: cannot read/);
  });
});

describe('safetensors', () => {
  it('round-trips weights and config', () => {
    const stPath = file('tiny.safetensors');
    saveSafetensors(stPath, config, weights);
    const bytes = fs.readFileSync(stPath);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    expect((8 + headerLength) % 8).toBe(0); // data region aligned as the reference writer does
    expect(JSON.parse(bytes.subarray(8, 8 + headerLength).toString())['tok_emb.weight']).toEqual({
      dtype: 'F32',
      shape: [50, 16],
      data_offsets: [0, 50 * 16 * 4],
    });
    const loaded = loadModelWeights(stPath);
    expect(loaded.format).toBe('safetensors');
    expect(loaded.config).toEqual(config);
    expectSameWeights(loaded.weights, weights);
  });

  it('loads a checkpoint without metadata when told the head count, ignoring extra tensors', () => {
    const extra = new Map(weights);
    extra.set('optimizer.step', { shape: [1], data: Float32Array.of(3) });
    writeSafetensors(file('plain.safetensors'), extra);
    expectUserError(() => loadModelWeights(file('plain.safetensors')), /give the number of attention heads/);
    const loaded = loadModelWeights(file('plain.safetensors'), { nHeads: 2 });
    expect(loaded.config).toEqual(config);
    expect(loaded.weights.has('optimizer.step')).toBe(false);
  });

  it('names a missing tensor', () => {
    const partial = new Map(weights);
    partial.delete('blocks.1.mlp.2.bias');
    writeSafetensors(file('missing.safetensors'), partial);
    expectUserError(
      () => loadModelWeights(file('missing.safetensors'), { config }),
      /missing\.safetensors: missing tensor 'blocks\.1\.mlp\.2\.bias'/,
    );
  });

  it('names a tensor of the wrong shape', () => {
    const wrong = new Map(weights);
    wrong.set('blocks.0.attn.c_attn.weight', { shape: [16, 48], data: new Float32Array(16 * 48) }); // (in, out)
    writeSafetensors(file('shape.safetensors'), wrong);
    expectUserError(
      () => loadModelWeights(file('shape.safetensors'), { config }),
      /tensor 'blocks\.0\.attn\.c_attn\.weight' has shape \(16, 48\), the model config expects \(48, 16\)/,
    );
  });

  it('reports truncated and corrupt files', () => {
    const bytes = encodeSafetensors(weights);
    expectUserError(() => decodeSafetensors(bytes.subarray(0, bytes.length - 10), 'cut.safetensors'), /cut\.safetensors: .*truncated/);
    expectUserError(() => decodeSafetensors(bytes.subarray(0, 100), 'cut.safetensors'), /truncated/);
    expectUserError(() => decodeSafetensors(bytes.subarray(0, 5), 'cut.safetensors'), /shorter than the 8-byte header length/);
    const corrupt = Uint8Array.from(bytes);
    corrupt[8] = 0x7b + 1; // the header's opening brace
    expectUserError(() => decodeSafetensors(corrupt, 'bad.safetensors'), /header is not JSON/);
    const hugeHeader = Uint8Array.from(bytes);
    new DataView(hugeHeader.buffer).setBigUint64(0, 1n << 40n, true);
    expectUserError(() => decodeSafetensors(hugeHeader, 'bad.safetensors'), /implausible/);
  });

  it('reads F16, BF16 and F64 tensors as float32', () => {
    const header = {
      half: { dtype: 'F16', shape: [3], data_offsets: [0, 6] },
      brain: { dtype: 'BF16', shape: [2], data_offsets: [6, 10] },
      double: { dtype: 'F64', shape: [1], data_offsets: [10, 18] },
    };
    const headerBytes = Buffer.from(JSON.stringify(header));
    const data = Buffer.alloc(18);
    data.writeUInt16LE(0x3c00, 0); // 1
    data.writeUInt16LE(0xc000, 2); // -2
    data.writeUInt16LE(0x3555, 4); // 0.33325
    data.writeUInt16LE(0x3f80, 6); // 1 in bfloat16
    data.writeUInt16LE(0x4049, 8); // 3.140625
    data.writeDoubleLE(Math.PI, 10);
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(headerBytes.length));
    const { tensors } = decodeSafetensors(Buffer.concat([length, headerBytes, data]), 'mixed.safetensors');
    expect([...tensors.get('half')!.data]).toEqual([1, -2, Math.fround(0.33325195)]);
    expect([...tensors.get('brain')!.data]).toEqual([1, 3.140625]);
    expect(tensors.get('double')!.data[0]).toBe(Math.fround(Math.PI));
  });

  it('round-trips arbitrary values bit for bit', () => {
    const rng = createRng(1);
    const tensors: ModelWeights = new Map([
      ['a', { shape: [2, 3], data: Float32Array.from({ length: 6 }, () => rng.normal() * 1e30) }],
      ['b', { shape: [], data: Float32Array.of(-0) }],
    ]);
    expectSameWeights(decodeSafetensors(encodeSafetensors(tensors, { note: 'x' }), 'mem').tensors, tensors);
  });
});
