/**
 * onnxruntime-node sessions on a chosen execution provider, recording which provider ran.
 */
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import ort from 'onnxruntime-node';
import { UserError } from '../core/errors.js';
import {
  type EpProbe,
  type EpRequest,
  type ExecutionProvider,
  type NodePlacement,
  parsePlacement,
  resolveExecutionProvider,
  runOrtChild,
} from './execution-providers.js';

export interface ModelSession {
  session: ort.InferenceSession;
  /** the provider the session was created on (ops it lacks fall back to the CPU; see inspectPlacement) */
  ep: ExecutionProvider;
  /** how it was chosen, for reports, e.g. "cpu (auto; cuda unavailable: ...; webgpu unavailable: ...)" */
  epReason: string;
}

export interface SessionOptions {
  /** default 'auto' */
  ep?: EpRequest;
  /** CPU threads for the CPU EP (default: onnxruntime's choice, one per core) */
  threads?: number;
  /** replaces the EP probe (tests) */
  probe?: EpProbe;
  /** the option name used in error messages (default '--ep') */
  option?: string;
}

/** A session for an ONNX model (bytes or a file path) on the requested EP. */
export async function createSession(model: Uint8Array | string, options: SessionOptions = {}): Promise<ModelSession> {
  const resolved = await resolveExecutionProvider(options.ep ?? 'auto', { probe: options.probe, option: options.option });
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: [resolved.ep],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3, // errors only; inspectPlacement runs a verbose session in a child
  };
  if (options.threads !== undefined) sessionOptions.intraOpNumThreads = options.threads;
  try {
    const session =
      typeof model === 'string'
        ? await ort.InferenceSession.create(model, sessionOptions)
        : await ort.InferenceSession.create(model, sessionOptions);
    return { session, ep: resolved.ep, epReason: resolved.reason };
  } catch (error) {
    const source = typeof model === 'string' ? model : 'in-memory model';
    throw new UserError(`${source}: onnxruntime could not load the model on ${resolved.ep}: ${(error as Error).message}`);
  }
}

/**
 * Where onnxruntime places each node of a model on `ep`, read from its verbose log in a child
 * process. Use it to check that a GPU graph has no op falling back to the CPU.
 */
export async function inspectPlacement(model: Uint8Array, ep: ExecutionProvider): Promise<NodePlacement[]> {
  const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'placement-'));
  const path = nodePath.join(dir, 'model.onnx');
  try {
    fs.writeFileSync(path, model);
    const result = await runOrtChild(ep, { path }, 300_000, { runProbe: false });
    if (!result.ok) throw new UserError(`placement check on ${ep}: ${result.error}`);
    return parsePlacement(result.log);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
