/**
 * The safetensors format (https://github.com/huggingface/safetensors), read and written here
 * without a dependency:
 *
 *   8 bytes    N, unsigned little-endian: length of the header
 *   N bytes    JSON: { "<name>": { "dtype": "F32", "shape": [..], "data_offsets": [begin, end] },
 *                      ..., "__metadata__": { "<key>": "<string>" } }   (padded with spaces)
 *   the rest   the tensors' bytes, row-major, little-endian; offsets are relative to this region
 *
 * We write F32 and read F32, F64, F16 and BF16 (converted to float32): what PyTorch checkpoints use.
 */
import fs from 'node:fs';
import { UserError } from '../core/errors.js';
import { elementCount } from './config.js';
import type { ModelWeights } from './weights.js';

const BYTES_PER_ELEMENT: Record<string, number> = { F32: 4, F64: 8, F16: 2, BF16: 2 };
/** The reference implementation refuses headers above 100 MB; so do we. */
const MAX_HEADER_BYTES = 100_000_000;

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export interface SafetensorsContent {
  tensors: ModelWeights;
  metadata: Record<string, string>;
}

/** Serialize named float32 tensors (in the map's order) with optional string metadata. */
export function encodeSafetensors(tensors: ModelWeights, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, tensor] of tensors) {
    if (tensor.data.length !== elementCount(tensor.shape)) {
      throw new Error(`safetensors: '${name}' has ${tensor.data.length} values for shape (${tensor.shape})`);
    }
    header[name] = { dtype: 'F32', shape: tensor.shape, data_offsets: [offset, offset + tensor.data.byteLength] };
    offset += tensor.data.byteLength;
  }
  let headerText = JSON.stringify(header);
  // pad so that the data region starts 8-byte aligned, as the reference writer does
  headerText += ' '.repeat((8 - ((8 + Buffer.byteLength(headerText)) % 8)) % 8);
  const headerBytes = Buffer.from(headerText, 'utf8');

  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let position = 8 + headerBytes.length;
  for (const tensor of tensors.values()) {
    const bytes = new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
    writeLittleEndianFloat32(out, position, tensor.data, bytes);
    position += tensor.data.byteLength;
  }
  return out;
}

/**
 * Parse safetensors bytes. `source` (the file name) prefixes every error: a truncated file, a
 * header that is not JSON, offsets outside the file or inconsistent with a tensor's shape, an
 * unsupported dtype.
 */
export function decodeSafetensors(bytes: Uint8Array, source: string): SafetensorsContent {
  const fail = (why: string): never => {
    throw new UserError(`${source}: not a valid safetensors file: ${why}`);
  };
  if (bytes.length < 8) fail(`${bytes.length} bytes, shorter than the 8-byte header length (truncated?)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) fail(`header length ${headerLength} is implausible (corrupt file?)`);
  const dataStart = 8 + Number(headerLength);
  if (dataStart > bytes.length) {
    fail(`header claims ${headerLength} bytes but the file has ${bytes.length} (truncated?)`);
  }

  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, dataStart)).toString('utf8')) as Record<string, unknown>;
  } catch (error) {
    return fail(`header is not JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('header is not a JSON object');

  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const tensors: ModelWeights = new Map();
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      for (const [k, v] of Object.entries((value ?? {}) as Record<string, unknown>)) metadata[k] = String(v);
      continue;
    }
    const entry = value as HeaderEntry;
    const validEntry =
      entry !== null &&
      typeof entry === 'object' &&
      typeof entry.dtype === 'string' &&
      Array.isArray(entry.shape) &&
      entry.shape.every((n) => Number.isInteger(n) && n >= 0) &&
      Array.isArray(entry.data_offsets) &&
      entry.data_offsets.length === 2 &&
      entry.data_offsets.every((n) => Number.isInteger(n) && n >= 0);
    if (!validEntry) fail(`header entry '${name}' lacks a dtype, shape or data_offsets`);

    const elementBytes = BYTES_PER_ELEMENT[entry.dtype];
    if (elementBytes === undefined) {
      fail(`tensor '${name}' has dtype ${entry.dtype}; supported: ${Object.keys(BYTES_PER_ELEMENT).join(', ')}`);
    }
    const [begin, end] = entry.data_offsets;
    if (end > dataLength) {
      fail(`tensor '${name}' ends at byte ${end} of the data region, which has ${dataLength} bytes (truncated?)`);
    }
    const expectedBytes = elementCount(entry.shape) * elementBytes;
    if (end - begin !== expectedBytes) {
      fail(`tensor '${name}' (${entry.dtype}, shape (${entry.shape})) needs ${expectedBytes} bytes, offsets give ${end - begin}`);
    }
    const raw = bytes.subarray(dataStart + begin, dataStart + end);
    tensors.set(name, { shape: [...entry.shape], data: toFloat32(raw, entry.dtype) });
  }
  return { tensors, metadata };
}

export function writeSafetensors(path: string, tensors: ModelWeights, metadata: Record<string, string> = {}): void {
  const tmp = `${path}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, encodeSafetensors(tensors, metadata));
  fs.renameSync(tmp, path); // never leave a half-written file under the real name
}

export function readSafetensors(path: string): SafetensorsContent {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(path);
  } catch (error) {
    throw new UserError(`${path}: cannot read the weights file (${(error as Error).message})`);
  }
  return decodeSafetensors(bytes, path);
}

function writeLittleEndianFloat32(out: Uint8Array, position: number, data: Float32Array, bytes: Uint8Array): void {
  if (isLittleEndianHost) {
    out.set(bytes, position);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset);
  for (let i = 0; i < data.length; i++) view.setFloat32(position + 4 * i, data[i], true);
}

const isLittleEndianHost = new Uint8Array(Float32Array.of(1).buffer)[3] === 0x3f;

function toFloat32(raw: Uint8Array, dtype: string): Float32Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (dtype) {
    case 'F32': {
      if (isLittleEndianHost) return new Float32Array(new Uint8Array(raw).buffer); // an aligned copy (Buffer.slice would not copy)
      return Float32Array.from({ length: raw.length / 4 }, (_, i) => view.getFloat32(4 * i, true));
    }
    case 'F64':
      return Float32Array.from({ length: raw.length / 8 }, (_, i) => view.getFloat64(8 * i, true));
    case 'F16':
      return Float32Array.from({ length: raw.length / 2 }, (_, i) => halfToFloat(view.getUint16(2 * i, true)));
    case 'BF16': {
      // bfloat16 is the top half of a float32
      const out = new Float32Array(raw.length / 2);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < out.length; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      return out;
    }
    default:
      throw new Error(`unreachable dtype ${dtype}`);
  }
}

/** IEEE 754 binary16 -> number. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024); // subnormal
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

