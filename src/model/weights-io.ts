/**
 * Model files: the inference model as ONNX (weights as initializers, opens in Netron and any
 * onnxruntime) and weights as safetensors; loading either by parameter name, including a user's
 * own checkpoint (a PyTorch state_dict saved as safetensors, or a PyTorch ONNX export whose
 * initializers keep the state_dict names).
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { UserError } from '../core/errors.js';
import { type GptConfig, elementCount, validateConfig } from './config.js';
import { CONFIG_METADATA_KEY, type GptGraphOptions, buildInferenceModel } from './gpt-graph.js';
import { type TensorProtoObject, OnnxDataType, decodeModelProto, toNumber } from './onnx-proto.js';
import { halfToFloat, readSafetensors, writeSafetensors } from './safetensors.js';
import { type ModelWeights, selectWeights } from './weights.js';

export type WeightsFormat = 'onnx' | 'safetensors';

export interface LoadedModel {
  config: GptConfig;
  weights: ModelWeights;
  format: WeightsFormat;
}

/**
 * Write the inference model (weights as initializers, config in the metadata). The graph takes
 * sequences of exactly `seqLen` tokens (default: the block size).
 */
export function saveOnnxModel(
  path: string,
  config: GptConfig,
  weights: ModelWeights,
  options: Partial<GptGraphOptions> = {},
): void {
  const bytes = buildInferenceModel(config, weights, { seqLen: config.blockSize, ...options });
  writeAtomically(path, bytes);
}

/** Write weights as safetensors (float32), with the config in the metadata. */
export function saveSafetensors(path: string, config: GptConfig, weights: ModelWeights): void {
  writeSafetensors(path, weights, { [CONFIG_METADATA_KEY]: JSON.stringify(config) });
}

export interface OnnxFileContent {
  /** every floating-point initializer, converted to float32 */
  tensors: ModelWeights;
  metadata: Record<string, string>;
}

/** Parse an ONNX file's initializers and metadata. Errors name the file. */
export function readOnnxInitializers(path: string): OnnxFileContent {
  const bytes = readFile(path);
  let model;
  try {
    model = decodeModelProto(bytes);
  } catch (error) {
    throw new UserError(`${path}: not a valid ONNX model (corrupt or truncated?): ${(error as Error).message}`);
  }
  if (model.graph === undefined || model.graph === null) {
    throw new UserError(`${path}: not a valid ONNX model (corrupt or truncated?): it has no graph`);
  }
  const metadata: Record<string, string> = {};
  for (const entry of model.metadataProps ?? []) metadata[entry.key] = entry.value;
  const tensors: ModelWeights = new Map();
  for (const initializer of model.graph.initializer ?? []) {
    const data = initializerToFloat32(initializer, path);
    if (data !== null) {
      tensors.set(initializer.name ?? '', { shape: (initializer.dims ?? []).map(toNumber), data });
    }
  }
  return { tensors, metadata };
}

/**
 * Load a model's weights from an .onnx or .safetensors file, by parameter name. The config comes
 * from `options.config`, else from the file's metadata (files this project wrote), else it is
 * inferred from the tensor shapes, which needs `options.nHeads` (head count is not visible in
 * the shapes). Errors name the file and the tensor: missing, wrong shape, corrupt or truncated.
 */
export function loadModelWeights(
  path: string,
  options: { config?: GptConfig; nHeads?: number } = {},
): LoadedModel {
  const format = detectFormat(path);
  const { tensors, metadata } = format === 'onnx' ? readOnnxInitializers(path) : readSafetensors(path);
  const config = options.config ?? configFromMetadata(metadata, path) ?? inferConfig(tensors, options.nHeads, path);
  return { config, weights: selectWeights(config, tensors, path), format };
}

/** The config from the tensors' shapes; the head count must be given. */
export function inferConfig(tensors: ModelWeights, nHeads: number | undefined, source: string): GptConfig {
  const shapeOf = (name: string): number[] => {
    const tensor = tensors.get(name);
    if (tensor === undefined) {
      throw new UserError(`${source}: missing tensor '${name}' (needed to infer the model config)`);
    }
    return tensor.shape;
  };
  if (nHeads === undefined) {
    throw new UserError(`${source}: the file does not record the model config; give the number of attention heads`);
  }
  const [vocabSize, dModel] = shapeOf('tok_emb.weight');
  const [blockSize] = shapeOf('pos_emb.weight');
  const [dMlp] = shapeOf('blocks.0.mlp.0.weight');
  let nLayers = 0;
  while (tensors.has(`blocks.${nLayers}.ln1.weight`)) nLayers++;
  const config = { vocabSize, dModel, nLayers, nHeads, blockSize, dMlp };
  try {
    validateConfig(config);
  } catch (error) {
    throw new UserError(`${source}: ${(error as Error).message}`);
  }
  return config;
}

function configFromMetadata(metadata: Record<string, string>, source: string): GptConfig | null {
  const text = metadata[CONFIG_METADATA_KEY];
  if (text === undefined) return null;
  try {
    const config = JSON.parse(text) as GptConfig;
    validateConfig(config);
    return config;
  } catch (error) {
    throw new UserError(`${source}: metadata '${CONFIG_METADATA_KEY}' is not a valid config: ${(error as Error).message}`);
  }
}

function detectFormat(path: string): WeightsFormat {
  const extension = nodePath.extname(path).toLowerCase();
  if (extension === '.onnx') return 'onnx';
  if (extension === '.safetensors') return 'safetensors';
  throw new UserError(`${path}: unknown weights format '${extension}' (expected .onnx or .safetensors)`);
}

/** Float initializers as float32; null for non-float ones (shape constants and the like). */
function initializerToFloat32(tensor: TensorProtoObject, source: string): Float32Array | null {
  const name = tensor.name ?? '';
  const dims = (tensor.dims ?? []).map(toNumber);
  const count = elementCount(dims);
  const type = tensor.dataType ?? 0;
  if (type !== OnnxDataType.FLOAT && type !== OnnxDataType.DOUBLE && type !== OnnxDataType.FLOAT16) return null;
  if (tensor.dataLocation === 1 || (tensor.externalData?.length ?? 0) > 0) {
    throw new UserError(
      `${source}: initializer '${name}' is stored in an external data file, which is not supported ` +
        `(export with the weights inside the .onnx file, or save a safetensors file)`,
    );
  }
  const raw = tensor.rawData;
  let values: ArrayLike<number>;
  if (raw !== undefined && raw.length > 0) {
    const elementBytes = type === OnnxDataType.FLOAT ? 4 : type === OnnxDataType.DOUBLE ? 8 : 2;
    if (raw.length !== count * elementBytes) {
      throw new UserError(
        `${source}: initializer '${name}' of shape (${dims}) holds ${raw.length} bytes, expected ` +
          `${count * elementBytes} (corrupt file?)`,
      );
    }
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    if (type === OnnxDataType.FLOAT) {
      if (isLittleEndianHost) return new Float32Array(new Uint8Array(raw).buffer); // an aligned copy (Buffer.slice would not copy)
      return Float32Array.from({ length: count }, (_, i) => view.getFloat32(4 * i, true));
    }
    if (type === OnnxDataType.DOUBLE) {
      return Float32Array.from({ length: count }, (_, i) => view.getFloat64(8 * i, true));
    }
    return Float32Array.from({ length: count }, (_, i) => halfToFloat(view.getUint16(2 * i, true)));
  }
  // typed fields: float_data for FLOAT, double_data for DOUBLE, int32_data holds FLOAT16 bits
  if (type === OnnxDataType.FLOAT) values = tensor.floatData ?? [];
  else if (type === OnnxDataType.DOUBLE) values = tensor.doubleData ?? [];
  else values = (tensor.int32Data ?? []).map(halfToFloat);
  if (values.length !== count) {
    throw new UserError(
      `${source}: initializer '${name}' of shape (${dims}) holds ${values.length} values, expected ${count} (corrupt file?)`,
    );
  }
  return Float32Array.from(values);
}

const isLittleEndianHost = new Uint8Array(Float32Array.of(1).buffer)[3] === 0x3f;

function readFile(path: string): Uint8Array {
  try {
    return fs.readFileSync(path);
  } catch (error) {
    throw new UserError(`${path}: cannot read the model file (${(error as Error).message})`);
  }
}

function writeAtomically(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, path);
}
