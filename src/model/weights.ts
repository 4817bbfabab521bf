/**
 * Model weights as named float32 tensors, and the check that a set of tensors fits a config.
 */
import { UserError } from '../core/errors.js';
import { type GptConfig, elementCount, parameterShapes } from './config.js';

export interface FloatTensor {
  /** row-major dimensions, PyTorch layout */
  shape: number[];
  data: Float32Array;
}

/** Parameter name -> tensor, e.g. 'blocks.0.attn.c_attn.weight' -> (768, 256). */
export type ModelWeights = Map<string, FloatTensor>;

const formatShape = (shape: readonly number[]): string => `(${shape.join(', ')})`;

/**
 * Select the config's parameters from a set of named tensors (a loaded checkpoint), checking that
 * each is present with the expected shape. Extra tensors (buffers, optimizer state, an untied
 * lm_head) are ignored. `source` names the file in error messages.
 */
export function selectWeights(config: GptConfig, tensors: ModelWeights, source: string): ModelWeights {
  const selected: ModelWeights = new Map();
  const missing: string[] = [];
  for (const { name, shape } of parameterShapes(config)) {
    const tensor = tensors.get(name);
    if (tensor === undefined) {
      missing.push(name);
      continue;
    }
    const sameShape = tensor.shape.length === shape.length && tensor.shape.every((n, i) => n === shape[i]);
    if (!sameShape) {
      throw new UserError(
        `${source}: tensor '${name}' has shape ${formatShape(tensor.shape)}, ` +
          `the model config expects ${formatShape(shape)}`,
      );
    }
    selected.set(name, tensor);
  }
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).map((n) => `'${n}'`).join(', ');
    const more = missing.length > 5 ? ` and ${missing.length - 5} more` : '';
    const present = [...tensors.keys()].slice(0, 5).map((n) => `'${n}'`).join(', ');
    throw new UserError(
      `${source}: missing tensor ${shown}${more} ` +
        `(the file holds ${tensors.size} tensors${tensors.size > 0 ? `, e.g. ${present}` : ''})`,
    );
  }
  return selected;
}

/** Throws (a bug, not user input) if weights do not cover the config exactly. */
export function assertWeightsMatch(config: GptConfig, weights: ModelWeights): void {
  for (const { name, shape } of parameterShapes(config)) {
    const tensor = weights.get(name);
    if (tensor === undefined) throw new Error(`weights: no tensor '${name}'`);
    if (tensor.data.length !== elementCount(shape)) {
      throw new Error(
        `weights: '${name}' has ${tensor.data.length} values, shape ${formatShape(shape)} needs ${elementCount(shape)}`,
      );
    }
  }
}
