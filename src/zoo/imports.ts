/**
 * A user's own checkpoint in place of one of the zoo's models: `--model v1=path/to/v1.safetensors`
 * runs every analysis of V1 on the authors' real model instead of the one trained here. The file is
 * an ONNX model with its weights as initializers (a PyTorch export keeps the state_dict names) or
 * a safetensors state_dict; tensors are taken by parameter name (Paper 56 section 1.2) and must
 * have the shapes of the profile's model (src/model/weights.ts says which is missing or wrong).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import nodePath from 'node:path';
import { UserError } from '../core/errors.js';
import { ZOO_MODELS, type ZooModelName } from './zoo.js';

export interface ImportedModel {
  name: ZooModelName;
  /** absolute path of the file */
  path: string;
  /** of the file's bytes: part of the cache key of every result computed from it */
  sha256: string;
}

/** Parse one `--model NAME=PATH`; the file must exist and be readable (its content is checked when loaded). */
export function parseModelImport(value: string, option = '--model'): ImportedModel {
  const separator = value.indexOf('=');
  if (separator <= 0 || separator === value.length - 1) {
    throw new UserError(`${option} ${value}: expected NAME=PATH, e.g. ${option} v1=checkpoints/v1.safetensors`);
  }
  const name = value.slice(0, separator).trim();
  const path = nodePath.resolve(value.slice(separator + 1).trim());
  if (!(ZOO_MODELS as readonly string[]).includes(name)) {
    throw new UserError(`${option} ${value}: unknown model '${name}' (expected one of ${ZOO_MODELS.join(', ')})`);
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new UserError(`${option} ${name}=${path}: cannot read the model file (${why})`);
  }
  return { name: name as ZooModelName, path, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Parse every `--model` option; one model name may be given once. */
export function parseModelImports(values: readonly string[], option = '--model'): ImportedModel[] {
  const imports = values.map((v) => parseModelImport(v, option));
  const seen = new Set<string>();
  for (const { name } of imports) {
    if (seen.has(name)) throw new UserError(`${option}: model '${name}' is given more than once`);
    seen.add(name);
  }
  return imports;
}
