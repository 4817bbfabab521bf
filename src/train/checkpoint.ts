/**
 * Training checkpoints: one safetensors file per checkpoint, `checkpoint-<step>.safetensors`,
 * holding every model parameter under its own name (so the file loads as a model through
 * loadModelWeights), the AdamW moments as `adam.m.<name>` / `adam.v.<name>`, and in the metadata
 * the config, the number of completed steps, the loss curve so far and a fingerprint of the run's
 * settings. writeSafetensors writes to a temporary name and renames, so a checkpoint is either
 * complete or absent; the newest `keep` checkpoints are kept.
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { type GptConfig, parameterShapes } from '../model/config.js';
import { CONFIG_METADATA_KEY } from '../model/gpt-graph.js';
import { readSafetensors, writeSafetensors } from '../model/safetensors.js';
import { TRAIN_IO } from '../model/train-graph.js';
import type { ModelWeights } from '../model/weights.js';
import { UserError } from '../core/errors.js';
import type { OptimizerState } from './step-runner.js';

export interface Checkpoint {
  /** completed updates */
  step: number;
  /** every parameter of the model (trainable and frozen) */
  weights: ModelWeights;
  /** trainable parameters' moments */
  m: Map<string, Float32Array>;
  v: Map<string, Float32Array>;
  /** loss and gradient norm of each completed step */
  losses: number[];
  gradNorms: number[];
  fingerprint: string;
}

const FILE_PATTERN = /^checkpoint-(\d{8})\.safetensors$/;
const META = { step: 'train.step', losses: 'train.losses', gradNorms: 'train.grad_norms', fingerprint: 'train.fingerprint' };

export function checkpointPath(dir: string, step: number): string {
  return nodePath.join(dir, `checkpoint-${String(step).padStart(8, '0')}.safetensors`);
}

/** Write a checkpoint and delete all but the newest `keep`. */
export function writeCheckpoint(dir: string, config: GptConfig, checkpoint: Checkpoint, keep = 2): string {
  fs.mkdirSync(dir, { recursive: true });
  const tensors: ModelWeights = new Map();
  for (const { name, shape } of parameterShapes(config)) tensors.set(name, { shape, data: checkpoint.weights.get(name)!.data });
  for (const { name, shape } of parameterShapes(config)) {
    const m = checkpoint.m.get(name);
    const v = checkpoint.v.get(name);
    if (m !== undefined && v !== undefined) {
      tensors.set(TRAIN_IO.adamM(name), { shape, data: m });
      tensors.set(TRAIN_IO.adamV(name), { shape, data: v });
    }
  }
  const path = checkpointPath(dir, checkpoint.step);
  writeSafetensors(path, tensors, {
    [CONFIG_METADATA_KEY]: JSON.stringify(config),
    [META.step]: String(checkpoint.step),
    [META.losses]: JSON.stringify(checkpoint.losses),
    [META.gradNorms]: JSON.stringify(checkpoint.gradNorms),
    [META.fingerprint]: checkpoint.fingerprint,
  });
  for (const old of listCheckpoints(dir).slice(0, -keep)) fs.rmSync(old.path, { force: true });
  return path;
}

/** Checkpoint files in `dir`, oldest first. */
export function listCheckpoints(dir: string): { step: number; path: string }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .flatMap((file) => {
      const match = FILE_PATTERN.exec(file);
      return match === null ? [] : [{ step: Number(match[1]), path: nodePath.join(dir, file) }];
    })
    .sort((a, b) => a.step - b.step);
}

/** Read a checkpoint; errors name the file and what is wrong with it. */
export function readCheckpoint(path: string, config: GptConfig, trainable: readonly string[]): Checkpoint {
  const { tensors, metadata } = readSafetensors(path);
  const fail = (why: string): never => {
    throw new UserError(`${path}: not a usable training checkpoint: ${why}`);
  };
  for (const key of Object.values(META)) if (metadata[key] === undefined) fail(`metadata '${key}' is missing`);
  const weights: ModelWeights = new Map();
  for (const { name, shape } of parameterShapes(config)) {
    const tensor = tensors.get(name);
    if (tensor === undefined || tensor.shape.join(',') !== shape.join(',')) fail(`tensor '${name}' is missing or has another shape`);
    weights.set(name, tensor!);
  }
  const m = new Map<string, Float32Array>();
  const v = new Map<string, Float32Array>();
  for (const name of trainable) {
    const mt = tensors.get(TRAIN_IO.adamM(name));
    const vt = tensors.get(TRAIN_IO.adamV(name));
    if (mt === undefined || vt === undefined) fail(`the optimizer moments of '${name}' are missing`);
    m.set(name, mt!.data);
    v.set(name, vt!.data);
  }
  return {
    step: Number(metadata[META.step]),
    weights,
    m,
    v,
    losses: JSON.parse(metadata[META.losses]) as number[],
    gradNorms: JSON.parse(metadata[META.gradNorms]) as number[],
    fingerprint: metadata[META.fingerprint],
  };
}

/** A checkpoint from the runner's state plus the frozen parameters (which never change). */
export function checkpointFromState(
  step: number,
  state: OptimizerState,
  frozenWeights: ModelWeights,
  losses: number[],
  gradNorms: number[],
  fingerprint: string,
  config: GptConfig,
): Checkpoint {
  const weights: ModelWeights = new Map();
  for (const { name, shape } of parameterShapes(config)) {
    const data = state.params.get(name) ?? frozenWeights.get(name)?.data;
    if (data === undefined) throw new Error(`checkpoint: no values for '${name}'`);
    weights.set(name, { shape: [...shape], data });
  }
  return { step, weights, m: state.m, v: state.v, losses: [...losses], gradNorms: [...gradNorms], fingerprint };
}
